import { type Tensor, type TensorBackend, tensor } from '@rlhf/core';
import { IGNORE_INDEX } from '@rlhf/dpo';

/** A prompt and a completion, as token ids. */
export interface PromptCompletion {
  /** Prompt token ids. */
  prompt: readonly number[];
  /** Completion token ids. */
  completion: readonly number[];
}

/** N prompt + completion sequences laid out for one forward pass. */
export interface SequenceBatch {
  /** int32 (N, T), right-padded. */
  inputIds: Tensor;
  /** int32 (N, T): `labels[r, t] = inputIds[r, t + 1]` where that token is part of the completion, else −100. */
  labels: Tensor;
  /** N. */
  rows: number;
  /** Real (non-padding) tokens. */
  tokens: number;
}

/**
 * Lays out N sequences as one (N, T) batch, padded on the right with `padId` (under the causal mask a real
 * token never sees a later pad, so no attention mask is needed — DPO's `collatePairs` layout, one row per
 * sequence). Position t is labelled with token t + 1 when that token belongs to the completion, so
 * `sequenceLogProbs(logits, labels)` of row r is `log π(completion | prompt)`.
 *
 * @example
 * ```ts
 * const b = collateSequences(backend, [{ prompt: [1, 5], completion: [7, 2] }], 0);
 * // inputIds [[1, 5, 7, 2]], labels [[-100, 7, 2, -100]]
 * ```
 */
export function collateSequences(
  backend: TensorBackend,
  rows: readonly PromptCompletion[],
  padId: number,
): SequenceBatch {
  const width = Math.max(...rows.map((r) => r.prompt.length + r.completion.length));
  const ids = new Int32Array(rows.length * width).fill(padId);
  const labels = new Int32Array(rows.length * width).fill(IGNORE_INDEX);
  let tokens = 0;
  rows.forEach(({ prompt, completion }, r) => {
    const sequence = [...prompt, ...completion];
    ids.set(sequence, r * width);
    // position t predicts token t + 1; the completion starts at prompt.length
    for (let t = prompt.length - 1; t < sequence.length - 1; t++) labels[r * width + t] = sequence[t + 1] as number;
    tokens += sequence.length;
  });
  return {
    inputIds: tensor(backend, ids, [rows.length, width], 'int32'),
    labels: tensor(backend, labels, [rows.length, width], 'int32'),
    rows: rows.length,
    tokens,
  };
}

/**
 * The mismatched pairs KTO estimates its KL reference point from (TRL's `_get_kl_dataset`): within a batch of B
 * examples, prompt i is paired with the completion of example i − 1 (example 0 with that of example B − 1),
 * i.e. the completions shifted by one. A completion that does not fit after its new prompt is cut to
 * `maxSeqLength − prompt length` tokens from its end (TRL's `_process_tokens` truncation). B = 1 pairs the example
 * with itself (the KL estimate is then the example's own log-ratio; the trainer refuses `kich_thuoc_batch` 1).
 *
 * @example
 * ```ts
 * klPairs([{ prompt: [1, 4], completion: [7] }, { prompt: [1, 5], completion: [8, 9] }], 512);
 * // [{ prompt: [1, 4], completion: [8, 9] }, { prompt: [1, 5], completion: [7] }]
 * ```
 */
export function klPairs(examples: readonly PromptCompletion[], maxSeqLength: number): PromptCompletion[] {
  const b = examples.length;
  return examples.map(({ prompt }, i) => {
    const completion = (examples[(i - 1 + b) % b] as PromptCompletion).completion;
    return { prompt, completion: completion.slice(0, Math.max(1, maxSeqLength - prompt.length)) };
  });
}
