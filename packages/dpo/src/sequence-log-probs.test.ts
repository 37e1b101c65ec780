import { createJsBackend } from '@rlhf/backend-js';
import { noGrad, type Tensor, tensor, tidy } from '@rlhf/core';
import type { TruncatedPair } from '@rlhf/preference-data';
import { collatePairs } from '@rlhf/preference-data';
import { describe, expect, it } from 'vitest';
import { loadStories260K } from './__fixtures__/data.js';
import { concatenatedLogProbs, sequenceLogProbs } from './sequence-log-probs.js';

const backend = createJsBackend();

/** log π(response | prompt) of one sequence, scored alone (no padding), summed on the host in float64. */
async function aloneLogProb(
  model: ReturnType<typeof loadStories260K>,
  prompt: number[],
  response: number[],
): Promise<number> {
  const ids = [...prompt, ...response];
  const logits = noGrad(() => model.forward(tensor(backend, Int32Array.from(ids), [1, ids.length], 'int32')).logits);
  const values = (await logits.data()) as Float32Array;
  const v = logits.shape[2] as number;
  logits.dispose();
  let total = 0;
  for (let t = prompt.length - 1; t < ids.length - 1; t++) {
    const row = values.subarray(t * v, (t + 1) * v);
    let m = Number.NEGATIVE_INFINITY;
    for (const x of row) m = Math.max(m, x);
    let z = 0;
    for (const x of row) z += Math.exp(x - m);
    total += (row[ids[t + 1] as number] as number) - m - Math.log(z);
  }
  return total;
}

describe('sequence log-probs over response tokens', () => {
  it('sequenceLogProbs sums log softmax at the labels, skipping −100', async () => {
    // logits (2, 3, 2): log softmax of [0, ln 3] is [ln 1/4, ln 3/4]
    const logits = tensor(backend, [0, Math.log(3), 0, Math.log(3), 0, 0, 0, 0, 0, 0, 0, Math.log(3)], [2, 3, 2]);
    const labels = tensor(backend, Int32Array.from([1, 0, -100, -100, -100, 1]), [2, 3], 'int32');
    const out = sequenceLogProbs(logits, labels);
    const got = Array.from(await out.data());
    expect(got[0]).toBeCloseTo(Math.log(3 / 4) + Math.log(1 / 4), 6);
    expect(got[1]).toBeCloseTo(Math.log(3 / 4), 6);
    for (const t of [logits, labels, out]) t.dispose();
  });

  it('one concatenated, padded forward pass equals scoring each sequence alone (stories260K)', async () => {
    const model = loadStories260K(backend);
    const pairs: TruncatedPair[] = [
      {
        prompt: [1, 403, 407, 261, 378],
        chosen: [410, 317, 263, 377, 2],
        rejected: [317, 2],
        truncated: false,
        promptTruncated: false,
      },
      {
        prompt: [1, 403],
        chosen: [407, 261],
        rejected: [300, 301, 302, 303, 304, 305, 306, 2],
        truncated: false,
        promptTruncated: false,
      },
    ];
    const before = backend.memory().liveBuffers;
    const batch = collatePairs(backend, pairs, 0);
    const out = tidy(() => noGrad(() => concatenatedLogProbs(model, batch)));
    const chosen = Array.from(await out.chosen.data());
    const rejected = Array.from(await out.rejected.data());
    for (const t of [out.chosen, out.rejected, batch.inputIds, batch.labels] as Tensor[]) t.dispose();
    expect(backend.memory().liveBuffers).toBe(before);
    for (const [i, p] of pairs.entries()) {
      expect(chosen[i]).toBeCloseTo(await aloneLogProb(model, p.prompt, p.chosen), 3);
      expect(rejected[i]).toBeCloseTo(await aloneLogProb(model, p.prompt, p.rejected), 3);
    }
    // real, different, negative values (the check can fail)
    expect(chosen[0]).toBeLessThan(0);
    expect(new Set([...chosen, ...rejected]).size).toBe(4);
    model.dispose();
  });
});
