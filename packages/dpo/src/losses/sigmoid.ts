import { logSigmoid, mul, neg, sub } from '@rlhf/core';
import type { DpoLossDefinition, DpoLossFunction } from './dpo-loss.js';

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
export const SIGMOID_LOSS: DpoLossDefinition = {
  name: 'sigmoid',
  formula: 'L = −(1−ε)·log σ(βΔ) − ε·log σ(−βΔ)',
  reference: 'Rafailov et al. 2023, eq. 7; Mitchell 2023 (cDPO)',
  loss: sigmoidLoss,
  usesLabelSmoothing: true,
  labelSmoothingBound: { max: 0.5, inclusive: true },
};
