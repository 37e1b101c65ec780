import { logSigmoid, mul, neg, sub } from '@rlhf/core';
import type { CpoLossDefinition, CpoLossFunction } from './cpo-loss.js';

/**
 * CPO's preference loss with conservative label smoothing (the default `loss_type`), reference-free:
 *
 * `L = −(1−ε)·log σ(β·h) − ε·log σ(−β·h)`, `h = log π_θ(y_c|x) − log π_θ(y_r|x)` (summed log-probs)
 *
 * Xu et al. 2024, "Contrastive Preference Optimization", eq. 3 (`L_prefer`, ε = 0: DPO's loss with the
 * reference dropped); TRL main (1.1.0.dev0) `trl/experimental/cpo/cpo_trainer.py`, `cpo_loss`, `"sigmoid"`.
 * At h = 0 it is ln 2 for every ε. logits (B) → (B).
 *
 * @example
 * ```ts
 * const losses = cpoSigmoidLoss(h, { beta: 0.1, label_smoothing: 0, simpo_gamma: 0.5 }); // (B)
 * ```
 */
export const cpoSigmoidLoss: CpoLossFunction = (logits, { beta, label_smoothing: eps }) => {
  const z = mul(logits, beta); // β·h, (B)
  const agree = neg(logSigmoid(z)); // −log σ(β·h)
  if (eps === 0) return agree;
  return sub(mul(agree, 1 - eps), mul(logSigmoid(neg(z)), eps)); // −(1−ε)·log σ(βh) − ε·log σ(−βh)
};

/** Registry entry of {@link cpoSigmoidLoss}. */
export const CPO_SIGMOID_LOSS: CpoLossDefinition = {
  name: 'sigmoid',
  formula: 'L = −(1−ε)·log σ(β·h) − ε·log σ(−β·h)',
  reference: 'Xu et al. 2024 (CPO), eq. 3; TRL trl/experimental/cpo/cpo_trainer.py',
  loss: cpoSigmoidLoss,
  lengthNormalized: false,
  usesLabelSmoothing: true,
};
