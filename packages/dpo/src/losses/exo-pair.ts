import { add, logSigmoid, mul, neg, sigmoid, sub } from '@rlhf/core';
import type { DeltaLossDefinition, DpoLossFunction } from './dpo-loss.js';
import { fromDelta } from './log-ratio-difference.js';

/**
 * EXO (efficient exact optimisation), pairwise: the reverse KL from the policy's preference distribution
 * over {chosen, rejected} to the ε-smoothed label distribution `(1−ε, ε)`:
 *
 * `L = σ(βΔ)·(log σ(βΔ) − log(1−ε)) + σ(−βΔ)·(log σ(−βΔ) − log ε)`
 *
 * Ji et al. 2024, "Towards Efficient Exact Optimization of Language Model Alignment" (arXiv:2402.00856),
 * eq. 16 with K = 2. Matches TRL 1.13 `trl/trainer/dpo_trainer.py`, `DPOTrainer._compute_loss`, branch
 * `exo_pair` (ε is `label_smoothing`; the paper uses 1e-3). Needs ε > 0 (log ε), so the trainer rejects
 * `label_smoothing` 0 with this loss (TRL 0.x silently replaced 0 by 1e-3). At Δ = 0 it is
 * `−ln 2 − ½·ln(ε(1−ε))`. delta (B) → (B).
 *
 * @example
 * ```ts
 * const losses = exoPairLoss(delta, { beta: 0.1, label_smoothing: 1e-3 }); // (B)
 * ```
 */
export const exoPairLoss: DpoLossFunction = (delta, { beta, label_smoothing: eps }) => {
  const z = mul(delta, beta); // βΔ, (B)
  const chosenFirst = mul(sigmoid(z), sub(logSigmoid(z), Math.log1p(-eps))); // q_w·(log q_w − log p_w)
  const rejectedFirst = mul(sigmoid(neg(z)), sub(logSigmoid(neg(z)), Math.log(eps))); // q_l·(log q_l − log p_l)
  return add(chosenFirst, rejectedFirst);
};

/** Registry entry of {@link exoPairLoss}. */
export const EXO_PAIR_LOSS: DeltaLossDefinition = {
  name: 'exo_pair',
  formula: 'L = σ(βΔ)·(log σ(βΔ) − log(1−ε)) + σ(−βΔ)·(log σ(−βΔ) − log ε)',
  reference: 'Ji et al. 2024 (EXO), arXiv:2402.00856, eq. 16',
  trl: 'TRL 1.13 `trl/trainer/dpo_trainer.py`, `DPOTrainer._compute_loss`, branch `exo_pair`',
  whenToUse:
    'Mode-seeking alternative to DPO (reverse KL to the smoothed labels); needs label_smoothing > 0, e.g. 1e-3.',
  loss: exoPairLoss,
  perPair: fromDelta(exoPairLoss),
  stepZero: ({ label_smoothing: eps }) => -Math.LN2 - 0.5 * Math.log(eps * (1 - eps)),
  usesLabelSmoothing: true,
  labelSmoothingBound: { max: 0.5, inclusive: true, positive: true },
};
