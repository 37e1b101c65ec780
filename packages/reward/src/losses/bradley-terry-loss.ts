import { InvalidArgumentError, logSigmoid, neg, sub, type Tensor } from '@rlhf/core';
import { checkPairShapes } from './check-pair-shapes.js';

/**
 * The Bradley–Terry pairwise loss of a reward model, one value per pair (Bradley & Terry 1952; Ouyang et
 * al. 2022, "Training language models to follow instructions with human feedback", eq. 1):
 *
 * ```
 * ℓᵢ = −log σ(r_c,i − r_r,i − mᵢ)
 * ```
 *
 * where `r_c`, `r_r` are the scalar rewards of the chosen and rejected text of pair `i` and `mᵢ` an
 * optional per-pair margin (Touvron et al. 2023, "Llama 2", eq. 2; TRL's `margin` column): the chosen
 * reward must then exceed the rejected one by at least `mᵢ` before the loss flattens. `log σ` is the stable
 * form (`min(x, 0) − log(1 + e^{−|x|})`), so large |r_c − r_r| neither overflows nor loses the gradient.
 * The caller averages the result over all pairs of an optimizer step.
 *
 * @param chosen - (B) rewards of the chosen texts.
 * @param rejected - (B) rewards of the rejected texts.
 * @param margin - (B) optional margins (0 when omitted).
 * @returns (B) per-pair losses.
 *
 * @example
 * ```ts
 * const loss = mean(bradleyTerryLoss(rChosen, rRejected)); // ln 2 when rChosen = rRejected
 * ```
 */
export function bradleyTerryLoss(chosen: Tensor, rejected: Tensor, margin?: Tensor): Tensor {
  checkPairShapes('bradleyTerryLoss', chosen, rejected, margin);
  const diff = sub(chosen, rejected); // (B) r_c − r_r
  return neg(logSigmoid(margin ? sub(diff, margin) : diff)); // (B)
}

/**
 * Validates a reward-centering coefficient (finite and ≥ 0).
 *
 * @example
 * ```ts
 * checkCoefficient('centerRewardsLoss', 0.01); // ok
 * ```
 */
export function checkCoefficient(op: string, coefficient: number): void {
  if (!Number.isFinite(coefficient) || coefficient < 0) {
    throw new InvalidArgumentError(op, 'coefficient', coefficient, 'must be a finite number ≥ 0');
  }
}
