import { square, sub } from '@rlhf/core';
import type { CpoLossDefinition, CpoLossFunction } from './cpo-loss.js';

/**
 * IPO's squared loss on the policy's length-averaged log-probability difference, reference-free:
 *
 * `L = (h̄ − 1/(2β))²`, `h̄ = ℓ_c − ℓ_r`, `ℓ = (1/|y|) Σ_t log π_θ(y_t | x, y_<t)`
 *
 * Azar et al. 2023, "A General Theoretical Paradigm to Understand Learning from Human Preferences", eq. 17
 * (β is τ there); TRL main (1.1.0.dev0) `trl/experimental/cpo/cpo_trainer.py`, `cpo_loss`, `"ipo"` (averaged
 * log-probs, as TRL's `average_log_prob` for `ipo`). At h̄ = 0 it is 1/(4β²). logits (B) → (B).
 *
 * @example
 * ```ts
 * const losses = cpoIpoLoss(hMean, { beta: 0.1, label_smoothing: 0, simpo_gamma: 0.5 }); // (B)
 * ```
 */
export const cpoIpoLoss: CpoLossFunction = (logits, { beta }) => square(sub(logits, 1 / (2 * beta))); // (B)

/** Registry entry of {@link cpoIpoLoss}. */
export const CPO_IPO_LOSS: CpoLossDefinition = {
  name: 'ipo',
  formula: 'L = (h̄ − 1/(2β))²',
  reference: 'Azar et al. 2023 (IPO), eq. 17; TRL trl/experimental/cpo/cpo_trainer.py',
  loss: cpoIpoLoss,
  lengthNormalized: true,
  usesLabelSmoothing: false,
};
