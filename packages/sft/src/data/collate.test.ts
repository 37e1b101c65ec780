import { crossEntropy, noGrad, tidy } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { tinyLlama } from '../__fixtures__/models.js';
import { collate } from './collate.js';
import { packExamples } from './pack-examples.js';
import { countTargets, type SFTExample, targetsFromLabels } from './sft-example.js';

const model = tinyLlama(3);

function example(ids: number[], promptLength: number): SFTExample {
  const labels = ids.map((id, i) => (i < promptLength ? -100 : id));
  return { input_ids: ids, targets: targetsFromLabels(labels), positions: null, segments: null };
}

/** Σ over target tokens of −log p, and the count, for a micro-batch (what the SFT task computes). */
async function summedLoss(examples: SFTExample[]): Promise<number> {
  const loss = noGrad(() =>
    tidy(() => {
      const b = collate(model.backend, examples, 0);
      const { logits } = model.forward(b.inputIds, {
        attentionMask: b.attentionMask,
        ...(b.positions ? { positions: b.positions } : {}),
      });
      return crossEntropy(logits, b.targets, { reduction: 'sum' });
    }),
  );
  const value = await loss.item();
  loss.dispose();
  return value;
}

// Three sequences of lengths 5, 9 and 13, each with 4 target tokens (different prompt lengths).
const seqs = [
  example([1, 7, 9, 11, 13], 1),
  example([1, 3, 5, 7, 9, 11, 13, 15, 17], 5),
  example([1, 2, 4, 8, 16, 32, 3, 6, 12, 24, 48, 5, 10], 9),
];

describe('collation', () => {
  it('right padding: the loss of the padded batch equals the mean of each sequence alone (1e-6)', async () => {
    expect(seqs.map((s) => countTargets(s.targets))).toEqual([4, 4, 4]);
    const alone = await Promise.all(seqs.map(async (s) => (await summedLoss([s])) / countTargets(s.targets)));
    const batch = (await summedLoss(seqs)) / seqs.reduce((a, s) => a + countTargets(s.targets), 0);
    const meanAlone = alone.reduce((a, b) => a + b, 0) / alone.length;
    expect(Math.abs(batch - meanAlone)).toBeLessThan(1e-6);
    expect(alone[0]).not.toBeCloseTo(alone[1] as number, 3); // the sequences really differ
  });

  it('padding is masked: targets −100 and attention 0 beyond each sequence', () => {
    const b = collate(model.backend, seqs.slice(0, 2), 0);
    expect(b.inputIds.shape).toEqual([2, 9]);
    expect(Array.from(b.attentionMask.dataSync()).slice(0, 9)).toEqual([1, 1, 1, 1, 1, 0, 0, 0, 0]);
    expect(Array.from(b.targets.dataSync()).slice(0, 9)).toEqual([7, 9, 11, 13, -100, -100, -100, -100, -100]);
    for (const t of [b.inputIds, b.attentionMask, b.targets]) t.dispose();
  });

  it('packing: a packed sequence has the loss of its examples alone (no cross-attention), positions restart', async () => {
    const packed = packExamples(seqs, 32);
    expect(packed).toHaveLength(1);
    expect(packed[0]?.positions?.slice(0, 15)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 1]);
    expect(packed[0]?.segments?.slice(11, 15)).toEqual([0, 0, 1, 1]);
    const separate = (await Promise.all(seqs.map((s) => summedLoss([s])))).reduce((a, b) => a + b, 0);
    expect(Math.abs((await summedLoss(packed)) - separate)).toBeLessThan(1e-4);
    // Best-fit decreasing: 13 + 9 fill 22 of 24; the 5 opens a second sequence.
    expect(packExamples(seqs, 24).map((p) => p.input_ids.length)).toEqual([22, 5]);
  });
});
