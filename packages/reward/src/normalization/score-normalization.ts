import { InvalidArgumentError } from '@rlhf/core';
import type { ScoreStats } from './score-stats.js';

/** μ, σ recorded per reward-model instance (by training here, or read back from its `config.json`). */
const recorded = new WeakMap<object, ScoreStats>();

/** The key under which μ, σ are stored in a saved reward model's `config.json`. */
export const SCORE_NORMALIZATION_KEY = 'score_normalization';

/**
 * Records the μ, σ that `diem_danh_gia` normalises this model's scores with, and that are saved with it.
 * `RewardModel.huan_luyen` calls it at the end of training; loading a saved model restores it.
 *
 * @example
 * ```ts
 * setScoreNormalization(rm, scoreStats(trainingScores));
 * ```
 */
export function setScoreNormalization(model: object, stats: ScoreStats): void {
  recorded.set(model, { ...stats });
}

/**
 * The μ, σ recorded for this model, or `undefined` for a model never trained here (nor loaded with them).
 *
 * @example
 * ```ts
 * getScoreNormalization(rm)?.std;
 * ```
 */
export function getScoreNormalization(model: object): ScoreStats | undefined {
  const stats = recorded.get(model);
  return stats ? { ...stats } : undefined;
}

/**
 * Reads μ, σ from a `config.json` object (`score_normalization: { mean, std, count }`); `undefined` when the
 * key is absent. A malformed value throws an `InvalidArgumentError` naming the key.
 *
 * @example
 * ```ts
 * scoreNormalizationFromConfig({ score_normalization: { mean: 0, std: 1, count: 8 } }); // { mean: 0, std: 1, count: 8 }
 * ```
 */
export function scoreNormalizationFromConfig(config: Record<string, unknown>): ScoreStats | undefined {
  const value = config[SCORE_NORMALIZATION_KEY];
  if (value === undefined) return undefined;
  const { mean, std, count } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (
    typeof mean !== 'number' ||
    typeof std !== 'number' ||
    !Number.isFinite(mean) ||
    !Number.isFinite(std) ||
    std < 0
  ) {
    throw new InvalidArgumentError(
      'config.json',
      SCORE_NORMALIZATION_KEY,
      value,
      'must be { mean: number, std: number ≥ 0, count: number }',
    );
  }
  return { mean, std, count: typeof count === 'number' ? count : 0 };
}
