import { add, mul, sigmoid, sub } from '@rlhf/core';
import type { DpoLossDefinition } from './dpo-loss.js';
import { batchLogRatios } from './log-ratio-difference.js';

/**
 * APO-zero (anchored preference optimisation): raise the chosen and lower the rejected likelihood, each
 * anchored to the reference:
 *
 * `L = 1 − σ(β·c_c) + σ(β·c_r)`
 *
 * D'Oosterlinck et al. 2024, "Anchored Preference Optimization and Contrastive Revisions: Addressing
 * Underspecification in Alignment" (arXiv:2408.06266), eq. 7. Matches TRL 1.13 `trl/trainer/dpo_trainer.py`,
 * `DPOTrainer._compute_loss`, branch `apo_zero`. At policy = reference it is 1. `label_smoothing` is
 * ignored. c_c, c_r (B) → (B).
 *
 * @example
 * ```ts
 * const losses = APO_ZERO_LOSS.perPair(batch, { beta: 0.1, label_smoothing: 0 }, null); // (B)
 * ```
 */
export const APO_ZERO_LOSS: DpoLossDefinition = {
  name: 'apo_zero',
  formula: 'L = 1 − σ(β·c_c) + σ(β·c_r)',
  reference: "D'Oosterlinck et al. 2024 (APO), arXiv:2408.06266, eq. 7",
  trl: 'TRL 1.13 `trl/trainer/dpo_trainer.py`, `DPOTrainer._compute_loss`, branch `apo_zero`',
  whenToUse: 'The chosen responses are better than what the model writes now: push chosen up and rejected down.',
  perPair: (batch, { beta }) => {
    const { chosen, rejected } = batchLogRatios(batch);
    return add(sub(1, sigmoid(mul(chosen, beta))), sigmoid(mul(rejected, beta))); // (B)
  },
  stepZero: () => 1,
  usesLabelSmoothing: false,
  labelSmoothingBound: { max: 0.5, inclusive: true },
};
