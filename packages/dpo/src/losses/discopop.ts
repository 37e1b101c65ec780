import { add, exp, logSigmoid, mul, neg, sigmoid, sub } from '@rlhf/core';
import type { DeltaLossDefinition, DpoLossFunction } from './dpo-loss.js';
import { fromDelta } from './log-ratio-difference.js';

/** DiscoPOP's τ when none is given (TRL's `discopop_tau` default, the paper's value). */
export const DISCOPOP_TAU = 0.05;

/**
 * DiscoPOP, the log-ratio modulated loss (LRML): a blend of DPO's logistic loss and an exponential loss,
 * mixed by `σ(βΔ/τ)`:
 *
 * `z = βΔ`, `L = (1 − σ(z/τ))·(−log σ(z)) + σ(z/τ)·e^(−z)`
 *
 * Lu et al. 2024, "Discovering Preference Optimization Algorithms with and for Large Language
 * Models" (arXiv:2406.08414), eq. 5. Matches TRL 1.13 `trl/trainer/dpo_trainer.py`,
 * `DPOTrainer._compute_loss`, branch `discopop` (τ = `discopop_tau`, default 0.05). The second term is
 * computed as `exp(log σ(z/τ) − z)`, the same value without `0·∞` when z is very negative. At Δ = 0 it is
 * `½·ln 2 + ½`. `label_smoothing` is ignored. delta (B) → (B).
 *
 * @example
 * ```ts
 * const losses = discopopLoss(delta, { beta: 0.1, label_smoothing: 0, discopop_tau: 0.05 }); // (B)
 * ```
 */
export const discopopLoss: DpoLossFunction = (delta, { beta, discopop_tau: tau = DISCOPOP_TAU }) => {
  const z = mul(delta, beta); // βΔ, (B)
  const logistic = mul(sigmoid(neg(mul(z, 1 / tau))), neg(logSigmoid(z))); // (1 − σ(z/τ))·(−log σ(z))
  const exponential = exp(sub(logSigmoid(mul(z, 1 / tau)), z)); // σ(z/τ)·e^(−z)
  return add(logistic, exponential);
};

/** Registry entry of {@link discopopLoss}. */
export const DISCOPOP_LOSS: DeltaLossDefinition = {
  name: 'discopop',
  formula: 'z = βΔ; L = (1 − σ(z/τ))·(−log σ(z)) + σ(z/τ)·e^(−z)',
  reference: 'Lu et al. 2024 (DiscoPOP), arXiv:2406.08414, eq. 5',
  trl: 'TRL 1.13 `trl/trainer/dpo_trainer.py`, `DPOTrainer._compute_loss`, branch `discopop`',
  whenToUse: 'A discovered DPO variant: logistic for small margins, exponential for large ones (τ = discopop_tau).',
  loss: discopopLoss,
  perPair: fromDelta(discopopLoss),
  stepZero: () => 0.5 * Math.LN2 + 0.5,
  usesLabelSmoothing: false,
  labelSmoothingBound: { max: 0.5, inclusive: true },
};
