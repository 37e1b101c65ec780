/**
 * What one logging window of reward-model training reports (TRL's `RewardTrainer` logs `accuracy`
 * and `margin`; the reward statistics show drift that the Bradley–Terry loss cannot see).
 *
 * @example
 * ```ts
 * const m: RewardMetrics = rewardMetrics([2, 0], [1, 1], [0.31, 1.31]);
 * m.accuracy; // 0.5
 * ```
 */
export interface RewardMetrics {
  /** Mean per-pair loss. */
  loss: number;
  /** Share of pairs with `r_c > r_r` (a tie counts as wrong, as in TRL). */
  accuracy: number;
  /** Mean reward of the chosen texts. */
  chosen_reward: number;
  /** Mean reward of the rejected texts. */
  rejected_reward: number;
  /** Mean of `r_c − r_r`. */
  reward_margin: number;
  /** Mean reward over chosen and rejected texts together. */
  reward_mean: number;
  /** Smallest reward over chosen and rejected texts. */
  reward_min: number;
  /** Largest reward over chosen and rejected texts. */
  reward_max: number;
  /** Number of pairs. */
  num_pairs: number;
}

/**
 * Metrics of pairs scored by a reward model: loss, pairwise accuracy, mean chosen/rejected reward,
 * margin, and the mean/min/max of all rewards. An empty set gives zeros (and `num_pairs: 0`).
 *
 * @param chosen - rewards r_c of the chosen texts (n).
 * @param rejected - rewards r_r of the rejected texts (n).
 * @param losses - per-pair losses (n); omitted: the loss reads 0.
 *
 * @example
 * ```ts
 * rewardMetrics([2, 0, -1], [1, 0, 1]).accuracy; // 1/3
 * ```
 */
export function rewardMetrics(
  chosen: ArrayLike<number>,
  rejected: ArrayLike<number>,
  losses?: ArrayLike<number>,
): RewardMetrics {
  const n = chosen.length;
  if (n === 0) {
    return {
      loss: 0,
      accuracy: 0,
      chosen_reward: 0,
      rejected_reward: 0,
      reward_margin: 0,
      reward_mean: 0,
      reward_min: 0,
      reward_max: 0,
      num_pairs: 0,
    };
  }
  let loss = 0;
  let correct = 0;
  let sumChosen = 0;
  let sumRejected = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const c = chosen[i] as number;
    const r = rejected[i] as number;
    if (c > r) correct++;
    sumChosen += c;
    sumRejected += r;
    lo = Math.min(lo, c, r);
    hi = Math.max(hi, c, r);
    if (losses) loss += losses[i] as number;
  }
  return {
    loss: loss / n,
    accuracy: correct / n,
    chosen_reward: sumChosen / n,
    rejected_reward: sumRejected / n,
    reward_margin: (sumChosen - sumRejected) / n,
    reward_mean: (sumChosen + sumRejected) / (2 * n),
    reward_min: lo,
    reward_max: hi,
    num_pairs: n,
  };
}
