import {
  add,
  cast,
  detach,
  greater,
  max,
  min,
  mul,
  noGrad,
  slice,
  sub,
  sum,
  type TaskMetric,
  type Tensor,
  type TrainingTask,
  tensor,
} from '@rlhf/core';
import { padRight, type RewardScoringModel } from '@rlhf/models';
import type { RewardPair } from '../data/prepare-reward-pairs.js';
import { rewardLoss } from '../losses/reward-loss.js';

/** Settings of {@link rewardTask}. */
export interface RewardTaskOptions {
  /** λ of the reward-centering term (0: off). */
  centerRewardsCoefficient: number;
  /** Token id filling padding (masked out). @defaultValue 0 */
  padId?: number;
}

/**
 * The reward model's part of the shared training loop. A micro-batch of B pairs is one forward pass over
 * (2B, T) right-padded sequences — chosen rows first — giving rewards r (2B); then
 *
 * ```
 * loss = Σᵢ [−log σ(r_c,i − r_r,i − mᵢ) + λ (r_c,i + r_r,i)²]        (Ouyang et al. 2022 eq. 1; Eisenstein et al. 2023)
 * ```
 *
 * summed over pairs (the loop divides by the pairs of the whole optimizer step, so accumulation equals one
 * big batch). Metrics, summed over pairs and logged as means: `accuracy` (r_c > r_r), `chosen_rewards`,
 * `rejected_rewards`, `reward_margin`, `reward_mean`; and the extremes `reward_min`, `reward_max` over all 2B
 * rewards (reductions `min` / `max`, so the loop logs the window's extreme and checkpoints it).
 *
 * @example
 * ```ts
 * const task = rewardTask(rm, { centerRewardsCoefficient: 0 });
 * task.loss([{ chosen: [1, 5, 2], rejected: [1, 6, 2], margin: 0 }]).loss; // scalar on the tape
 * ```
 */
export function rewardTask(
  model: RewardScoringModel,
  { centerRewardsCoefficient, padId = 0 }: RewardTaskOptions,
): TrainingTask<RewardPair> {
  return {
    measure: (items) => ({
      units: items.length,
      tokens: items.reduce((a, p) => a + p.chosen.length + p.rejected.length, 0),
    }),
    loss: (items) => {
      const b = items.length;
      const rewards = model.scoreBatch(
        padRight(model.backend, [...items.map((p) => p.chosen), ...items.map((p) => p.rejected)], padId),
      ); // (2B)
      const chosen = slice(rewards, [0], [b]); // (B)
      const rejected = slice(rewards, [b], [b]); // (B)
      const margin = items.some((p) => p.margin !== 0)
        ? tensor(
            model.backend,
            Float32Array.from(items, (p) => p.margin),
            [b],
          )
        : undefined;
      const loss = sum(rewardLoss({ chosen, rejected, ...(margin ? { margin } : {}), centerRewardsCoefficient })); // ()
      const metrics = noGrad(() => metricsOf(detach(chosen), detach(rejected), detach(rewards)));
      return { loss, metrics };
    },
  };
}

/** Pairwise metrics summed over the micro-batch's pairs (the loop turns them into means), and the extremes of all (2B) rewards. */
function metricsOf(chosen: Tensor, rejected: Tensor, rewards: Tensor): Record<string, Tensor | TaskMetric> {
  const margin = sub(chosen, rejected); // (B)
  const total = sum(chosen);
  const totalRejected = sum(rejected);
  return {
    accuracy: sum(cast(greater(chosen, rejected), 'float32')), // # pairs with r_c > r_r (ties are wrong)
    chosen_rewards: total,
    rejected_rewards: totalRejected,
    reward_margin: sum(margin),
    reward_mean: mul(add(total, totalRejected), 0.5), // Σ (r_c + r_r) / 2
    reward_min: { value: min(rewards), reduce: 'min' }, // min over the 2B rewards
    reward_max: { value: max(rewards), reduce: 'max' }, // max over the 2B rewards
  };
}
