import { div, type Tensor, tensor } from '@rlhf/core';
import { concatenatedLogProbs, type LogitsModel, type PairBatch, type TruncatedPair } from '@rlhf/dpo';

/** The policy's response log-probabilities of a batch of pairs, summed and averaged per token, each (B). */
export interface ResponseLogProbs {
  /** `log π_θ(y_c|x)`, summed over the chosen response's tokens, (B). */
  chosenSum: Tensor;
  /** `log π_θ(y_r|x)`, summed, (B). */
  rejectedSum: Tensor;
  /** `ℓ_c = log π_θ(y_c|x) / |y_c|`, the mean token log-probability of the chosen response, (B). */
  chosenMean: Tensor;
  /** `ℓ_r = log π_θ(y_r|x) / |y_r|`, (B). */
  rejectedMean: Tensor;
}

/**
 * Scores a collated batch under the policy in one forward pass of the concatenated (2B, T) batch (on the
 * tape) and returns the summed and the length-averaged response log-probabilities. `|y|` is the response's
 * token count (the labelled positions of its row), as TRL's `get_batch_logps(average_log_prob=True)` divides
 * by its loss mask. batch (2B, T), pairs B → four (B) tensors.
 *
 * @example
 * ```ts
 * const { chosenMean, rejectedMean } = responseLogProbs(model, collatePairs(backend, pairs, 0), pairs);
 * ```
 */
export function responseLogProbs(
  model: LogitsModel,
  batch: PairBatch,
  pairs: readonly TruncatedPair[],
): ResponseLogProbs {
  const { chosen, rejected } = concatenatedLogProbs(model, batch); // (B), (B)
  const b = pairs.length;
  const backend = chosen.backend;
  const chosenLength = tensor(
    backend,
    pairs.map((p) => Math.max(1, p.chosen.length)),
    [b],
  ); // |y_c|, (B)
  const rejectedLength = tensor(
    backend,
    pairs.map((p) => Math.max(1, p.rejected.length)),
    [b],
  ); // |y_r|, (B)
  return {
    chosenSum: chosen,
    rejectedSum: rejected,
    chosenMean: div(chosen, chosenLength),
    rejectedMean: div(rejected, rejectedLength),
  };
}
