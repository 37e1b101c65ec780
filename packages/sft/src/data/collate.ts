import { type Tensor, type TensorBackend, tensor } from '@rlhf/core';
import { IGNORE_INDEX, type SFTExample } from './sft-example.js';

/** A micro-batch as tensors, right-padded to its longest sequence. */
export interface SFTBatch {
  /** int32 (B, T). */
  inputIds: Tensor;
  /** int32 (B, T): 1 = real token; or (B, 1, T, T) for packed sequences: 1 where query and key are in the same example. */
  attentionMask: Tensor;
  /** int32 (B, T): next-token targets, −100 on padding and non-target tokens. */
  targets: Tensor;
  /** Host positions (B·T) for packed sequences, else `undefined` (0, 1, 2, ...). */
  positions: Int32Array | undefined;
}

/**
 * Pads a micro-batch on the right to its longest sequence (`padId` in the inputs, −100 in the targets,
 * 0 in the attention mask). Packed sequences get a block-diagonal (B, 1, T, T) mask — query i may see key
 * j only when both belong to the same packed example (the model adds causality) — and positions that
 * restart per example.
 *
 * @example
 * ```ts
 * const batch = collate(backend, examples, tokenizer.padTokenId ?? 0);
 * const { logits } = model.forward(batch.inputIds, { attentionMask: batch.attentionMask, positions: batch.positions });
 * ```
 */
export function collate(backend: TensorBackend, examples: readonly SFTExample[], padId: number): SFTBatch {
  const b = examples.length;
  const t = Math.max(...examples.map((e) => e.input_ids.length));
  const ids = new Int32Array(b * t).fill(padId);
  const targets = new Int32Array(b * t).fill(IGNORE_INDEX);
  const packed = examples.some((e) => e.segments !== null);
  const mask = new Int32Array(packed ? b * t * t : b * t);
  const positions = packed ? new Int32Array(b * t) : undefined;
  examples.forEach((e, r) => {
    const n = e.input_ids.length;
    ids.set(e.input_ids, r * t);
    targets.set(e.targets, r * t);
    if (!packed) {
      mask.fill(1, r * t, r * t + n);
      return;
    }
    const seg = e.segments ?? new Array<number>(n).fill(0);
    (positions as Int32Array).set(e.positions ?? seg.map((_, i) => i), r * t);
    for (let i = 0; i < n; i++) {
      const row = (r * t + i) * t; // mask[r, 0, i, :]
      for (let j = 0; j < n; j++) if (seg[j] === seg[i]) mask[row + j] = 1;
    }
  });
  return {
    inputIds: tensor(backend, ids, [b, t], 'int32'),
    attentionMask: tensor(backend, mask, packed ? [b, 1, t, t] : [b, t], 'int32'),
    targets: tensor(backend, targets, [b, t], 'int32'),
    positions,
  };
}
