import { sub } from '@rlhf/core';
import type { CpoLossDefinition, CpoLossFunction } from './cpo-loss.js';
import { cpoSigmoidLoss } from './cpo-sigmoid.js';

/**
 * SimPO's loss: length-normalised implicit rewards `r(x, y) = (β/|y|)·log π_θ(y|x)` and a target margin γ,
 * reference-free:
 *
 * `L = −(1−ε)·log σ(β·h̄ − γ) − ε·log σ(−(β·h̄ − γ))`, `h̄ = ℓ_c − ℓ_r`,
 * `ℓ = (1/|y|) Σ_t log π_θ(y_t | x, y_<t)`
 *
 * Meng et al. 2024, "SimPO: Simple Preference Optimization with a Reference-Free Reward", eq. 6 (ε = 0);
 * TRL main (1.1.0.dev0) `trl/experimental/cpo/cpo_trainer.py`, `cpo_loss`, `"simpo"`: the sigmoid loss of
 * `h̄ − γ/β` (so β·(h̄ − γ/β) = β·h̄ − γ), with TRL's label smoothing. SimPO proper is this loss with
 * `cpo_alpha: 0` (no NLL term), as TRL's CPO documentation says. At h̄ = 0 (ε = 0) it is `log(1 + e^γ)`.
 * logits (B) → (B).
 *
 * @example
 * ```ts
 * const losses = simpoLoss(hMean, { beta: 2, label_smoothing: 0, simpo_gamma: 0.5 }); // (B)
 * ```
 */
export const simpoLoss: CpoLossFunction = (logits, params) =>
  cpoSigmoidLoss(sub(logits, params.simpo_gamma / params.beta), params); // (B)

/** Registry entry of {@link simpoLoss}. */
export const SIMPO_LOSS: CpoLossDefinition = {
  name: 'simpo',
  formula: 'L = −(1−ε)·log σ(β·h̄ − γ) − ε·log σ(γ − β·h̄)',
  reference: 'Meng et al. 2024 (SimPO), eq. 6; TRL trl/experimental/cpo/cpo_trainer.py',
  loss: simpoLoss,
  lengthNormalized: true,
  usesLabelSmoothing: true,
};
