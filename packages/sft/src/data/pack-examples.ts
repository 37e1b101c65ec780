import type { SFTExample } from './sft-example.js';

/**
 * Packs examples into sequences of at most `maxLength` tokens by best-fit decreasing (longest first, each
 * into the fullest sequence it still fits; TRL's `packing_strategy='bfd'`). A packed sequence concatenates
 * its examples' inputs and targets (each example's last target stays −100, so no token predicts the next
 * example), restarts positions at 0 for each example and records segment numbers, from which the batch
 * gets a block-diagonal attention mask: packed examples never attend to each other. Deterministic (ties
 * keep the input order).
 *
 * @example
 * ```ts
 * const packed = packExamples(examples, 512); // fewer, fuller sequences
 * ```
 */
export function packExamples(examples: readonly SFTExample[], maxLength: number): SFTExample[] {
  const order = examples
    .map((e, i) => ({ e, i }))
    .sort((a, b) => b.e.input_ids.length - a.e.input_ids.length || a.i - b.i);
  const bins: { free: number; items: SFTExample[] }[] = [];
  for (const { e } of order) {
    const need = e.input_ids.length;
    let best: (typeof bins)[number] | undefined;
    for (const bin of bins) if (bin.free >= need && (!best || bin.free < best.free)) best = bin;
    if (!best) {
      best = { free: maxLength, items: [] };
      bins.push(best);
    }
    best.items.push(e);
    best.free -= need;
  }
  return bins.map(({ items }) => {
    const packed: SFTExample = { input_ids: [], targets: [], positions: [], segments: [] };
    items.forEach((e, s) => {
      packed.input_ids.push(...e.input_ids);
      packed.targets.push(...e.targets);
      for (let t = 0; t < e.input_ids.length; t++) {
        (packed.positions as number[]).push(t);
        (packed.segments as number[]).push(s);
      }
    });
    return packed;
  });
}
