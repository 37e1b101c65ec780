/**
 * The mean and standard deviation of a set of reward scores: what `score_normalized` is measured against.
 *
 * @example
 * ```ts
 * const stats: ScoreStats = { mean: 0.2, std: 1.3, count: 200 };
 * ```
 */
export interface ScoreStats {
  /** μ: the mean score. */
  mean: number;
  /** σ: the population standard deviation (divides by `count`, like `numpy.std`). */
  std: number;
  /** How many scores μ and σ were taken over. */
  count: number;
}

/**
 * μ and σ of scores, σ the population standard deviation `sqrt(Σ (sᵢ − μ)² / n)` (two passes, so no
 * cancellation). An empty list gives μ = σ = 0.
 *
 * @example
 * ```ts
 * scoreStats([1, 2, 3]); // { mean: 2, std: 0.816496580927726, count: 3 }
 * ```
 */
export function scoreStats(scores: ArrayLike<number>): ScoreStats {
  const n = scores.length;
  if (n === 0) return { mean: 0, std: 0, count: 0 };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += scores[i] as number;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += ((scores[i] as number) - mean) ** 2;
  return { mean, std: Math.sqrt(squares / n), count: n };
}

/**
 * The z-score `(s − μ) / σ`; 0 when σ = 0 (every score equal, or a single one).
 *
 * @example
 * ```ts
 * normalizeScore(3, { mean: 2, std: 0.5, count: 10 }); // 2
 * ```
 */
export function normalizeScore(score: number, stats: ScoreStats): number {
  return stats.std > 0 ? (score - stats.mean) / stats.std : 0;
}
