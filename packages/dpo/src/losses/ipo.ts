import { square, sub } from '@rlhf/core';
import type { DeltaLossDefinition, DpoLossFunction } from './dpo-loss.js';
import { fromDelta } from './log-ratio-difference.js';

/**
 * IPO, identity preference optimisation:
 *
 * `L = (Δ − 1/(2β))²`
 *
 * Azar et al. 2023, "A General Theoretical Paradigm to Understand Learning from Human Preferences",
 * eq. 17 (β there is τ). It regresses the log-ratio difference to a finite target instead of pushing it
 * to infinity. Δ uses summed response log-probs, as everywhere here (TRL divides by the response length
 * for IPO; pass shorter responses or a larger β to the same effect). `label_smoothing` is ignored.
 * delta (B) → (B).
 *
 * @example
 * ```ts
 * const losses = ipoLoss(delta, { beta: 0.1, label_smoothing: 0 }); // (B)
 * ```
 */
export const ipoLoss: DpoLossFunction = (delta, { beta }) => square(sub(delta, 1 / (2 * beta)));

/** Registry entry of {@link ipoLoss}. */
export const IPO_LOSS: DeltaLossDefinition = {
  name: 'ipo',
  formula: 'L = (Δ − 1/(2β))²',
  reference: 'Azar et al. 2023, eq. 17',
  trl: 'TRL 1.13 `trl/trainer/dpo_trainer.py`, `DPOTrainer._compute_loss`, branch `ipo`, without its division of each log-ratio by the response length',
  whenToUse: 'When DPO over-fits deterministic preferences (it pushes Δ only to a finite target, 1/(2β)).',
  loss: ipoLoss,
  perPair: fromDelta(ipoLoss),
  stepZero: ({ beta }) => 1 / (4 * beta * beta),
  usesLabelSmoothing: false,
  labelSmoothingBound: { max: 0.5, inclusive: true },
};
