import { add, causalMask, type KeyValueCache, paddingMask, type Tensor, type TensorBackend } from '@rlhf/core';
import type { ForwardOptions } from '../llama/llama-model.js';

/**
 * Positions already in the key/value cache (P), 0 without a cache. For a fixed-length `window` cache of C
 * slots, C − T: the T new positions push out the oldest T, and the queries sit at the end of the window.
 */
export function cachedLength(options: ForwardOptions, seqLen: number): number {
  const first = options.cache?.[0];
  if (!first) return 0;
  const slots = first.key.shape[2] as number;
  return first.window ? slots - seqLen : slots;
}

/**
 * The additive attention mask of a decoder call: causal over P cached + T new positions, plus the padding
 * mask when an attention mask is given. (1 or B, 1, T, P + T). With a `window` cache P + T is its length C,
 * and the attention mask (B, C) marks which slots of the shifted window hold real positions.
 */
export function decoderMask(backend: TensorBackend, seqLen: number, options: ForwardOptions): Tensor {
  const mask = causalMask(backend, seqLen, cachedLength(options, seqLen)); // (1, 1, T, P+T)
  return options.attentionMask ? add(mask, paddingMask(options.attentionMask)) : mask; // (B, 1, T, P+T)
}

/**
 * Runs decoder blocks in order, each with its own cached keys/values, and collects every block's full
 * keys/values as the next call's cache. Shapes: x (B, T, D) → (B, T, D).
 */
export function runDecoderStack<Block>(
  blocks: readonly Block[],
  x: Tensor,
  cache: readonly KeyValueCache[] | undefined,
  step: (block: Block, x: Tensor, cache: KeyValueCache | undefined) => { hidden: Tensor } & KeyValueCache,
): { hidden: Tensor; cache: KeyValueCache[] } {
  let h = x;
  const next: KeyValueCache[] = [];
  blocks.forEach((block, i) => {
    const out = step(block, h, cache?.[i]);
    h = out.hidden;
    next.push({ key: out.key, value: out.value });
  });
  return { hidden: h, cache: next };
}
