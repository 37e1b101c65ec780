import { type Tensor, type TensorBackend, tensor } from '@rlhf/core';
import type { TruncatedPair } from './truncate-pair.js';

/** Label of positions that carry no loss (prompt, padding, the last position). */
export const IGNORE_INDEX = -100;

/** A batch of B pairs laid out for one concatenated forward pass. */
export interface PairBatch {
  /** int32 (2B, T): rows 0..B−1 are prompt + chosen, rows B..2B−1 prompt + rejected, right-padded. */
  inputIds: Tensor;
  /** int32 (2B, T): `labels[r, t] = inputIds[r, t + 1]` where that token belongs to the response, else −100. */
  labels: Tensor;
  /** B. */
  pairs: number;
  /** Real (non-padding) tokens in the batch, both halves. */
  tokens: number;
  /** Response tokens scored (labels ≠ −100), both halves. */
  responseTokens: number;
}

/**
 * Lays out B tokenised pairs as one (2B, T) batch, chosen rows first, so the policy (and the reference)
 * score both halves in a single forward pass. Padding goes on the right with `padId`: under the causal
 * mask a real token never sees a later pad, and rotary positions of real tokens stay 0, 1, 2, …, so no
 * attention mask is needed; pad positions get label −100. The label at position t is the token at t + 1
 * when that token is part of the response, so `Σ_t tokenLogProbs(logits, labels)[r, t]` is
 * `log π(response | prompt)` of row r.
 *
 * @example
 * ```ts
 * const batch = collatePairs(backend, [{ prompt: [1, 5], chosen: [7, 2], rejected: [8, 9, 2], truncated: false, promptTruncated: false }], 0);
 * batch.inputIds.shape; // [2, 5]: [1, 5, 7, 2, 0] and [1, 5, 8, 9, 2]
 * // labels: [-100, 7, 2, -100, -100] and [-100, 8, 9, 2, -100]
 * ```
 */
export function collatePairs(backend: TensorBackend, pairs: readonly TruncatedPair[], padId: number): PairBatch {
  const rows = [
    ...pairs.map((p) => [p.prompt, p.chosen] as const),
    ...pairs.map((p) => [p.prompt, p.rejected] as const),
  ];
  const width = Math.max(...rows.map(([prompt, response]) => prompt.length + response.length));
  const ids = new Int32Array(rows.length * width).fill(padId);
  const labels = new Int32Array(rows.length * width).fill(IGNORE_INDEX);
  let tokens = 0;
  let responseTokens = 0;
  rows.forEach(([prompt, response], r) => {
    const sequence = [...prompt, ...response];
    ids.set(sequence, r * width);
    // position t predicts token t + 1; the response starts at prompt.length
    for (let t = prompt.length - 1; t < sequence.length - 1; t++) labels[r * width + t] = sequence[t + 1] as number;
    tokens += sequence.length;
    responseTokens += response.length;
  });
  return {
    inputIds: tensor(backend, ids, [rows.length, width], 'int32'),
    labels: tensor(backend, labels, [rows.length, width], 'int32'),
    pairs: pairs.length,
    tokens,
    responseTokens,
  };
}
