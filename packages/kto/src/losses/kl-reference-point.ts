import { detach, maximum, mean, sub, type Tensor } from '@rlhf/core';

/**
 * KTO's reference point z₀, estimated from mismatched pairs of the micro-batch:
 *
 * `z₀ = max(0, mean_i [log π_θ(y'_i|x_i) − log π_ref(y'_i|x_i)])`, detached (no gradient flows through it)
 *
 * Ethayarajh et al. 2024, "KTO: Model Alignment as Prospect Theoretic Optimization", eq. 7, which defines
 * z₀ = KL(π_θ(y'|x) ‖ π_ref(y'|x)); the paper estimates it from the batch itself, each prompt x_i paired with
 * another example's completion y'_i, clamped at 0 and not back-propagated. Matches TRL 1.x
 * `KTOTrainer.kto_loss` (trl/experimental/kto/kto_trainer.py): `(policy_KL_logps − reference_KL_logps).mean()
 * .detach()`, then `.clamp(min=0)`. policyKl (B), refKl (B) → a scalar (shape []).
 *
 * @example
 * ```ts
 * const z0 = klReferencePoint(policyKlLogps, refKlLogps); // scalar, ≥ 0, no gradient
 * ```
 */
export function klReferencePoint(policyKl: Tensor, refKl: Tensor): Tensor {
  return detach(maximum(mean(sub(policyKl, refKl)), 0)); // (B) → [] ; clamp(min = 0); detach
}
