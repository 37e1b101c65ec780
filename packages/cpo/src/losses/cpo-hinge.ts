import { mul, relu, sub } from '@rlhf/core';
import type { CpoLossDefinition, CpoLossFunction } from './cpo-loss.js';

/**
 * The hinge loss on the policy's log-probability difference, reference-free:
 *
 * `L = max(0, 1 − β·h)`, `h = log π_θ(y_c|x) − log π_θ(y_r|x)` (summed log-probs)
 *
 * Zhao et al. 2023, "SLiC-HF" (arXiv:2305.10425), the rank-calibration loss `max(0, δ − log P(y⁺|x) + log P(y⁻|x))`
 * scaled by β (margin δ = 1, as in TRL); TRL main (1.1.0.dev0)
 * `trl/experimental/cpo/cpo_trainer.py`, `cpo_loss`, `"hinge"`. At h = 0 it is 1. logits (B) → (B).
 *
 * @example
 * ```ts
 * const losses = cpoHingeLoss(h, { beta: 0.1, label_smoothing: 0, simpo_gamma: 0.5 }); // (B)
 * ```
 */
export const cpoHingeLoss: CpoLossFunction = (logits, { beta }) => relu(sub(1, mul(logits, beta))); // (B)

/** Registry entry of {@link cpoHingeLoss}. */
export const CPO_HINGE_LOSS: CpoLossDefinition = {
  name: 'hinge',
  formula: 'L = max(0, 1 − β·h)',
  reference: 'Zhao et al. 2023 (SLiC-HF), rank calibration; TRL trl/experimental/cpo/cpo_trainer.py',
  loss: cpoHingeLoss,
  lengthNormalized: false,
  usesLabelSmoothing: false,
};
