import { add, mul, square, type Tensor } from '@rlhf/core';
import { checkCoefficient } from './bradley-terry-loss.js';
import { checkPairShapes } from './check-pair-shapes.js';

/**
 * The reward-centering term, one value per pair (Eisenstein et al. 2023, "Helping or Herding? Reward Model
 * Ensembles Mitigate but do not Eliminate Reward Hacking", §3; TRL's `center_rewards_coefficient`):
 *
 * ```
 * cᵢ = λ · (r_c,i + r_r,i)²
 * ```
 *
 * The Bradley–Terry loss only sees differences of rewards, so their overall level drifts freely; this
 * term pulls the rewards of every pair towards a mean of zero. TRL adds `λ · mean((r_c + r_r)²)` to the
 * loss; averaging these per-pair values over the step gives exactly that.
 *
 * @param chosen - (B) rewards of the chosen texts.
 * @param rejected - (B) rewards of the rejected texts.
 * @param coefficient - λ ≥ 0 (TRL suggests 0.01).
 * @returns (B) per-pair penalties.
 *
 * @example
 * ```ts
 * const loss = mean(add(bradleyTerryLoss(rc, rr), centerRewardsLoss(rc, rr, 0.01)));
 * ```
 */
export function centerRewardsLoss(chosen: Tensor, rejected: Tensor, coefficient: number): Tensor {
  checkPairShapes('centerRewardsLoss', chosen, rejected);
  checkCoefficient('centerRewardsLoss', coefficient);
  return mul(square(add(chosen, rejected)), coefficient); // (B)
}
