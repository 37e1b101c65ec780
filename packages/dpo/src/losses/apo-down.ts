import { add, mul, sigmoid, sub } from '@rlhf/core';
import type { DpoLossDefinition } from './dpo-loss.js';
import { batchLogRatios } from './log-ratio-difference.js';

/**
 * APO-down (anchored preference optimisation): lower the chosen likelihood, and the rejected one more:
 *
 * `L = σ(β·c_c) + 1 − σ(βΔ)`
 *
 * D'Oosterlinck et al. 2024, "Anchored Preference Optimization and Contrastive Revisions: Addressing
 * Underspecification in Alignment" (arXiv:2408.06266), eq. 8. Matches TRL 1.13 `trl/trainer/dpo_trainer.py`,
 * `DPOTrainer._compute_loss`, branch `apo_down`. At policy = reference it is 1. `label_smoothing` is
 * ignored. c_c, Δ (B) → (B).
 *
 * @example
 * ```ts
 * const losses = APO_DOWN_LOSS.perPair(batch, { beta: 0.1, label_smoothing: 0 }, null); // (B)
 * ```
 */
export const APO_DOWN_LOSS: DpoLossDefinition = {
  name: 'apo_down',
  formula: 'L = σ(β·c_c) + 1 − σ(βΔ)',
  reference: "D'Oosterlinck et al. 2024 (APO), arXiv:2408.06266, eq. 8",
  trl: 'TRL 1.13 `trl/trainer/dpo_trainer.py`, `DPOTrainer._compute_loss`, branch `apo_down`',
  whenToUse: 'The model already beats the chosen responses: lower both, the rejected more.',
  perPair: (batch, { beta }) => {
    const { chosen, delta } = batchLogRatios(batch);
    return add(sigmoid(mul(chosen, beta)), sub(1, sigmoid(mul(delta, beta)))); // (B)
  },
  stepZero: () => 1,
  usesLabelSmoothing: false,
  labelSmoothingBound: { max: 0.5, inclusive: true },
};
