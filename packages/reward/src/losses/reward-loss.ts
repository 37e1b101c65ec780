import { add, type Tensor } from '@rlhf/core';
import { bradleyTerryLoss } from './bradley-terry-loss.js';
import { centerRewardsLoss } from './center-rewards-loss.js';

/** Inputs of {@link rewardLoss}. */
export interface RewardLossInput {
  /** (B) rewards of the chosen texts. */
  chosen: Tensor;
  /** (B) rewards of the rejected texts. */
  rejected: Tensor;
  /** (B) optional per-pair margins (Llama 2). */
  margin?: Tensor;
  /** λ of the reward-centering term; 0 or omitted leaves it out. */
  centerRewardsCoefficient?: number;
}

/**
 * The reward-model training objective per pair, as TRL's `RewardTrainer` computes it:
 *
 * ```
 * Lᵢ = −log σ(r_c,i − r_r,i − mᵢ) + λ · (r_c,i + r_r,i)²
 * ```
 *
 * (Bradley–Terry, Ouyang et al. 2022 eq. 1, with Llama 2's margin; centering, Eisenstein et al. 2023).
 * Averaged over the pairs of a step it equals TRL's `loss`.
 *
 * @returns (B) per-pair losses.
 *
 * @example
 * ```ts
 * const perPair = rewardLoss({ chosen: rc, rejected: rr, centerRewardsCoefficient: 0.01 }); // (B)
 * ```
 */
export function rewardLoss({ chosen, rejected, margin, centerRewardsCoefficient = 0 }: RewardLossInput): Tensor {
  const bt = bradleyTerryLoss(chosen, rejected, margin); // (B)
  return centerRewardsCoefficient === 0 ? bt : add(bt, centerRewardsLoss(chosen, rejected, centerRewardsCoefficient)); // (B)
}
