import type { ScaleRewards } from './online-config.js';

/** The small constant TRL adds to a standard deviation before dividing by it (`grpo_trainer.py`: `std + 1e-4`). */
export const STD_EPSILON = 1e-4;

/** Group-relative advantages and what TRL logs about them. */
export interface GroupAdvantages {
  /** One advantage per completion, (N) with N = groups × G, in the rewards' order. */
  advantages: number[];
  /** Standard deviation of each group's rewards (unbiased, as `torch.std`), (N / G). */
  groupStd: number[];
  /** Share of groups whose rewards are all equal (std ≈ 0): they give no gradient. */
  fracZeroStd: number;
}

/** Mean of a list (0 for an empty one). */
function meanOf(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Unbiased standard deviation (Bessel's n − 1, as `torch.std`'s default); 0 for fewer than two values. */
export function unbiasedStd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = meanOf(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
}

function groupsOf(rewards: readonly number[], g: number): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < rewards.length; s += g) out.push(rewards.slice(s, s + g));
  return out;
}

/**
 * GRPO's group-relative advantage (Shao et al. 2024, DeepSeekMath §4.1.2, "outcome supervision":
 * Â_i = (r_i − mean(r)) / std(r) over the G completions of one prompt), with TRL v1.0's
 * `scale_rewards` (`grpo_trainer.py`, `_generate_and_score_completions`):
 *
 * - `'group'`: A_i = (r_i − mean_group) / (std_group + 1e-4);
 * - `'batch'`: A_i = (r_i − mean_group) / (std_batch + 1e-4) (std over all N rewards);
 * - `'none'`:  A_i = r_i − mean_group (Liu et al. 2025, Dr. GRPO §3.1: no std division).
 *
 * std is unbiased (torch's default). A group whose rewards are all equal gets A = 0 for every member.
 * rewards (N = groups × G) → advantages (N).
 *
 * @example
 * ```ts
 * groupAdvantages([1, 0, 0, 0], 4, 'group').advantages; // [1.4997, -0.4999, -0.4999, -0.4999]
 * ```
 */
export function groupAdvantages(rewards: readonly number[], g: number, scale: ScaleRewards): GroupAdvantages {
  const groups = groupsOf(rewards, g);
  const groupStd = groups.map(unbiasedStd);
  const batchStd = unbiasedStd(rewards);
  const advantages: number[] = [];
  groups.forEach((group, k) => {
    const m = meanOf(group);
    const std = scale === 'group' ? (groupStd[k] as number) : batchStd;
    for (const r of group) advantages.push(scale === 'none' ? r - m : (r - m) / (std + STD_EPSILON));
  });
  const zero = groupStd.filter((s) => Math.abs(s) <= 1e-8).length;
  return { advantages, groupStd, fracZeroStd: groups.length === 0 ? 0 : zero / groups.length };
}

/**
 * RLOO's leave-one-out baseline (Ahmadian et al. 2024, "Back to Basics", eq. 6: the baseline of sample i is
 * the mean reward of the other G − 1 samples of its prompt), as TRL's `rloo_trainer.py` (checked at commit 00313f2):
 * A_i = r_i − (Σ_j r_j − r_i) / (G − 1); with `normalize` the advantages of the whole batch are then
 * standardised, A ← (A − mean(A)) / (std(A) + 1e-4). rewards (N = groups × G) → advantages (N).
 *
 * @example
 * ```ts
 * rlooAdvantages([1, 0, 0, 0], 4, false); // [1, -1/3, -1/3, -1/3]
 * ```
 */
export function rlooAdvantages(rewards: readonly number[], g: number, normalize: boolean): number[] {
  const out: number[] = [];
  for (const group of groupsOf(rewards, g)) {
    const total = group.reduce((a, b) => a + b, 0);
    for (const r of group) out.push(r - (total - r) / (group.length - 1));
  }
  if (!normalize) return out;
  const m = meanOf(out);
  const s = unbiasedStd(out);
  return out.map((a) => (a - m) / (s + STD_EPSILON));
}
