import { slice, sum, type Tensor, tokenLogProbs } from '@rlhf/core';
import type { CausalLMOutput } from '@rlhf/models';
import type { PairBatch } from '@rlhf/preference-data';

/**
 * Summed log-probability of each row's labelled tokens: `log π(y|x) = Σ_t log softmax(logits_t)[y_t]` over
 * positions whose label is not −100 (the response tokens). logits (N, T, V), labels (N, T) → (N).
 *
 * @example
 * ```ts
 * const logps = sequenceLogProbs(model.forward(batch.inputIds).logits, batch.labels); // (2B)
 * ```
 */
export function sequenceLogProbs(logits: Tensor, labels: Tensor): Tensor {
  return sum(tokenLogProbs(logits, labels), -1); // (N, T) → (N)
}

/** Something that maps token ids to next-token logits (every causal LM here). */
export interface LogitsModel {
  /** Token ids int32 (B, T) → `{ logits }` (B, T, V). */
  forward(inputIds: Tensor): Pick<CausalLMOutput, 'logits'>;
}

/** Summed response log-probabilities of the chosen and rejected halves of a batch. */
export interface PairSequenceLogProbs {
  /** log π(y_c|x), (B). */
  chosen: Tensor;
  /** log π(y_r|x), (B). */
  rejected: Tensor;
}

/**
 * Scores chosen and rejected responses of a {@link PairBatch} in one forward pass of the concatenated
 * (2B, T) batch and splits the result: `{ chosen, rejected }`, each (B). Records on the tape unless called
 * under `noGrad` (as for the reference model).
 *
 * @example
 * ```ts
 * const policy = concatenatedLogProbs(model, batch); // { chosen: (B), rejected: (B) }
 * const ref = noGrad(() => concatenatedLogProbs(refModel, batch));
 * ```
 */
export function concatenatedLogProbs(model: LogitsModel, batch: PairBatch): PairSequenceLogProbs {
  const b = batch.pairs;
  const logps = sequenceLogProbs(model.forward(batch.inputIds).logits, batch.labels); // (2B, T, V) → (2B)
  return { chosen: slice(logps, [0], [b]), rejected: slice(logps, [b], [b]) };
}
