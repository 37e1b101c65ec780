import { InvalidArgumentError, noGrad, tidy } from '@rlhf/core';
import { padRight, type RewardScoringModel } from '@rlhf/models';

/** Options of {@link scoreTokenIds}. */
export interface ScoreTokenIdsOptions {
  /** Sequences per forward pass. @defaultValue 8 */
  batchSize?: number;
  /** Token id that fills padding (masked out, so any id gives the same scores). @defaultValue 0 */
  padId?: number;
}

/**
 * Scores token-id sequences with a reward model: forward only (no tape), in batches of similar length
 * (sequences are sorted by length so little padding is computed), results in input order. Each sequence's
 * score is the scalar head on the hidden state of its last token, so it does not depend on what else is in
 * the batch or on padding. The model is put in eval mode for the call and restored afterwards.
 *
 * @returns one score per sequence, in input order.
 *
 * @example
 * ```ts
 * const scores = await scoreTokenIds(rm, [[1, 403, 407], [1, 261]], { batchSize: 16 }); // Float64Array(2)
 * ```
 */
export async function scoreTokenIds(
  model: RewardScoringModel,
  sequences: readonly (readonly number[])[],
  { batchSize = 8, padId = 0 }: ScoreTokenIdsOptions = {},
): Promise<Float64Array> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new InvalidArgumentError('scoreTokenIds', 'batchSize', batchSize, 'must be a positive integer');
  }
  const out = new Float64Array(sequences.length);
  const order = sequences
    .map((_, i) => i)
    .sort((a, b) => (sequences[a] as number[]).length - (sequences[b] as number[]).length);
  const wasTraining = model.training;
  model.eval();
  try {
    for (let start = 0; start < order.length; start += batchSize) {
      const rows = order.slice(start, start + batchSize);
      const scores = tidy(() =>
        noGrad(() =>
          model.scoreBatch(
            padRight(
              model.backend,
              rows.map((i) => sequences[i] as number[]),
              padId,
            ),
          ),
        ),
      ); // (b)
      const values = await scores.data();
      scores.dispose();
      rows.forEach((i, k) => {
        out[i] = values[k] as number;
      });
    }
  } finally {
    model.train(wasTraining);
  }
  return out;
}
