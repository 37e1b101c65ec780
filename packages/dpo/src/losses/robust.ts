import { add, div, logSigmoid, mul, neg } from '@rlhf/core';
import type { DeltaLossDefinition, DpoLossFunction } from './dpo-loss.js';
import { fromDelta } from './log-ratio-difference.js';

/**
 * Robust DPO, an unbiased estimate of the clean-label loss under labels flipped with probability ε:
 *
 * `L = [−(1−ε)·log σ(βΔ) + ε·log σ(−βΔ)] / (1−2ε)`
 *
 * Chowdhury, Kini & Natarajan 2024, "Provably Robust DPO: Aligning Language Models with Noisy Feedback"
 * (arXiv:2403.00409), the rDPO loss.
 * Needs ε < 0.5 (the denominator vanishes at 0.5); with ε = 0 it is DPO's loss. It can be negative.
 * delta (B) → (B).
 *
 * @example
 * ```ts
 * const losses = robustLoss(delta, { beta: 0.1, label_smoothing: 0.1 }); // (B)
 * ```
 */
export const robustLoss: DpoLossFunction = (delta, { beta, label_smoothing: eps }) => {
  const z = mul(delta, beta); // βΔ, (B)
  const agree = mul(neg(logSigmoid(z)), 1 - eps); // −(1−ε)·log σ(βΔ)
  const flipped = mul(logSigmoid(neg(z)), eps); // +ε·log σ(−βΔ)
  return div(add(agree, flipped), 1 - 2 * eps);
};

/** Registry entry of {@link robustLoss}. */
export const ROBUST_LOSS: DeltaLossDefinition = {
  name: 'robust',
  formula: 'L = [−(1−ε)·log σ(βΔ) + ε·log σ(−βΔ)] / (1−2ε)',
  reference: 'Chowdhury et al. 2024 (rDPO), arXiv:2403.00409',
  trl: 'TRL 1.13 `trl/trainer/dpo_trainer.py`, `DPOTrainer._compute_loss`, branch `robust`',
  whenToUse: 'Known label noise ε: an unbiased estimate of the clean loss (it can go negative).',
  loss: robustLoss,
  perPair: fromDelta(robustLoss),
  stepZero: () => Math.LN2,
  usesLabelSmoothing: true,
  labelSmoothingBound: { max: 0.5, inclusive: false },
};
