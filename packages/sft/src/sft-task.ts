import { crossEntropy, type TrainingTask } from '@rlhf/core';
import { collate } from './data/collate.js';
import { countTargets, type SFTExample } from './data/sft-example.js';
import type { SFTModel } from './sft-model.js';

/**
 * The SFT objective for the shared loop: the causal-LM negative log-likelihood of the target tokens,
 * summed over the micro-batch, `L = Σ_{b,t: y_bt ≠ −100} −log softmax(f(x_b)_t)[y_bt]` with logits
 * (B, T, V) and next-token targets y (B, T). The loop divides by the step's target-token count, so a step's
 * loss is the mean over all its target tokens. Units: target tokens; tokens: non-padding input tokens.
 *
 * @example
 * ```ts
 * const task = sftTask(model, tokenizer.padTokenId ?? 0);
 * ```
 */
export function sftTask(model: SFTModel, padId: number): TrainingTask<SFTExample> {
  return {
    measure: (items) => ({
      units: items.reduce((a, e) => a + countTargets(e.targets), 0),
      tokens: items.reduce((a, e) => a + e.input_ids.length, 0),
    }),
    loss: (items) => {
      const batch = collate(model.backend, items, padId);
      const { logits } = model.forward(batch.inputIds, {
        attentionMask: batch.attentionMask,
        ...(batch.positions ? { positions: batch.positions } : {}),
      }); // (B, T, V)
      return { loss: crossEntropy(logits, batch.targets, { reduction: 'sum' }) }; // Σ over target tokens
    },
    evalExtras: (loss) => ({ val_perplexity: Math.exp(loss) }),
  };
}
