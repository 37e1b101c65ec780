import { logSigmoid, mul, neg, sub } from '@rlhf/core';
import type { DeltaLossDefinition, DpoLossFunction } from './dpo-loss.js';
import { fromDelta } from './log-ratio-difference.js';

/**
 * DPO's loss with conservative label smoothing (the default `loss_type`):
 *
 * `L = −(1−ε)·log σ(βΔ) − ε·log σ(−βΔ)`
 *
 * Rafailov et al. 2023, "Direct Preference Optimization", eq. 7 (ε = 0); Mitchell 2023, "A note on DPO
 * with noisy preferences" (cDPO: the label is flipped with probability ε). At Δ = 0 it is ln 2 for every
 * ε. `logSigmoid` is stable for large |βΔ|, so nothing overflows. delta (B) → (B).
 *
 * @example
 * ```ts
 * const losses = sigmoidLoss(delta, { beta: 0.1, label_smoothing: 0 }); // (B)
 * ```
 */
export const sigmoidLoss: DpoLossFunction = (delta, { beta, label_smoothing: eps }) => {
  const z = mul(delta, beta); // βΔ, (B)
  const agree = neg(logSigmoid(z)); // −log σ(βΔ)
  if (eps === 0) return agree;
  // −(1−ε)·log σ(βΔ) − ε·log σ(−βΔ)
  return sub(mul(agree, 1 - eps), mul(logSigmoid(neg(z)), eps));
};

/** Registry entry of {@link sigmoidLoss}. */
export const SIGMOID_LOSS: DeltaLossDefinition = {
  name: 'sigmoid',
  formula: 'L = −(1−ε)·log σ(βΔ) − ε·log σ(−βΔ)',
  reference: 'Rafailov et al. 2023, eq. 7; Mitchell 2023 (cDPO)',
  trl: 'TRL 1.13 `trl/trainer/dpo_trainer.py`, `DPOTrainer._compute_loss`, branch `sigmoid` (ε as in TRL 0.x `DPOTrainer.dpo_loss`, `sigmoid`)',
  whenToUse: 'The default: clean pairwise preferences; set ε > 0 when some labels may be flipped.',
  loss: sigmoidLoss,
  perPair: fromDelta(sigmoidLoss),
  stepZero: () => Math.LN2,
  usesLabelSmoothing: true,
  labelSmoothingBound: { max: 0.5, inclusive: true },
};
