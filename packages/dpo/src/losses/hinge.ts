import { mul, relu, sub } from '@rlhf/core';
import type { DeltaLossDefinition, DpoLossFunction } from './dpo-loss.js';
import { fromDelta } from './log-ratio-difference.js';

/**
 * Hinge loss on the log-ratio difference (SLiC's calibration loss with the reference ratio):
 *
 * `L = max(0, 1 − βΔ)`
 *
 * Zhao et al. 2023, "SLiC-HF: Sequence Likelihood Calibration with Human Feedback" (arXiv:2305.10425), the
 * rank-calibration loss `max(0, δ − log P(y⁺|x) + log P(y⁻|x))` on reference-normalised log-probs, scaled by β
 * (margin δ = 1, as in TRL). Pairs already separated by a margin of 1/β contribute no gradient.
 * `label_smoothing` is ignored. delta (B) → (B).
 *
 * @example
 * ```ts
 * const losses = hingeLoss(delta, { beta: 0.1, label_smoothing: 0 }); // (B)
 * ```
 */
export const hingeLoss: DpoLossFunction = (delta, { beta }) => relu(sub(1, mul(delta, beta)));

/** Registry entry of {@link hingeLoss}. */
export const HINGE_LOSS: DeltaLossDefinition = {
  name: 'hinge',
  formula: 'L = max(0, 1 − βΔ)',
  reference: 'Zhao et al. 2023 (SLiC-HF), arXiv:2305.10425',
  trl: 'TRL 1.13 `trl/trainer/dpo_trainer.py`, `DPOTrainer._compute_loss`, branch `hinge`',
  whenToUse: 'A margin loss: pairs separated by 1/β stop contributing (SLiC / RSO).',
  loss: hingeLoss,
  perPair: fromDelta(hingeLoss),
  stepZero: () => 1,
  usesLabelSmoothing: false,
  labelSmoothingBound: { max: 0.5, inclusive: true },
};
