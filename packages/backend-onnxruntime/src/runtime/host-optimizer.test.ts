import {
  AdamW,
  add,
  crossEntropy,
  matmul,
  mul,
  Random,
  reshape,
  sum,
  type Tensor,
  type TensorBackend,
  tensor,
  tidy,
} from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { createOnnxRuntimeBackend } from '../index.js';

/** A two-matrix model trained for `steps` AdamW steps; returns the losses and the final weights. */
async function train(backend: TensorBackend, steps: number, readEachStep = true) {
  const rng = new Random(3);
  const values = (n: number) => Float32Array.from({ length: n }, () => rng.normal() * 0.5);
  const w1 = tensor(backend, values(6 * 8), [6, 8]);
  const w2 = tensor(backend, values(8 * 5), [8, 5]);
  for (const w of [w1, w2]) w.requiresGrad = true;
  const x = tensor(backend, values(4 * 6), [4, 6]);
  const y = tensor(backend, Int32Array.of(0, 3, 1, 4), [4], 'int32');
  const opt = new AdamW([{ params: [w1, w2], weightDecay: 0.1 }], { lr: 0.05 });
  const losses: Tensor[] = [];
  for (let s = 0; s < steps; s++) {
    const loss = tidy(() => {
      const l = crossEntropy(matmul(matmul(x, w1), w2), y);
      l.backward();
      return l;
    });
    opt.step();
    opt.zeroGrad();
    losses.push(loss);
    if (readEachStep) await loss.item();
  }
  const out = {
    losses: await Promise.all(losses.map((l) => l.item())),
    w1: Array.from(await w1.data()),
    w2: Array.from(await w2.data()),
  };
  for (const t of [w1, w2, x, y, ...losses]) t.dispose();
  opt.dispose();
  return out;
}

function expectClose(actual: readonly number[], expected: readonly number[], digits: number): void {
  expect(actual).toHaveLength(expected.length);
  for (let i = 0; i < actual.length; i++) expect(actual[i]).toBeCloseTo(expected[i] as number, digits);
}

describe('AdamW on the host (one pass, in place)', () => {
  it('trains exactly as the in-graph update does, and updates in place after the first step', async () => {
    const host = createOnnxRuntimeBackend({ threads: 1 });
    const graph = createOnnxRuntimeBackend({ threads: 1, hostOptimizer: false });
    const a = await train(host, 5);
    const b = await train(graph, 5);
    expect(a.losses[4]).toBeLessThan(a.losses[0] as number); // it learns
    expectClose(a.losses, b.losses, 6);
    expectClose(a.w1, b.w1, 6);
    expectClose(a.w2, b.w2, 6);
    // Step 1 reads the caller's arrays (copied at upload, but still held by the tensors' first buffers
    // until assign), later steps write over the previous step's arrays: 2 params × (p, m, v) × 4 steps.
    expect(host.stats().inPlaceUpdates).toBeGreaterThanOrEqual(2 * 3 * 4);
    expect(graph.stats().inPlaceUpdates).toBe(0);
    expect(host.stats().hostMs).toBeGreaterThan(0);
  });

  it.each([
    { what: 'arenaMaxElements without the arena', options: { arenaMaxElements: 0 }, stat: 'systemAllocatorSessions' },
    {
      what: 'memoryPatternMaxElements without the memory pattern',
      options: { memoryPatternMaxElements: 0 },
      stat: 'noMemoryPatternSessions',
    },
  ] as const)('compiles graphs above $what, with the same results', async ({ options, stat }) => {
    const usual = createOnnxRuntimeBackend({ threads: 1 });
    const other = createOnnxRuntimeBackend({ threads: 1, ...options });
    const a = await train(usual, 4);
    const b = await train(other, 4);
    expect(usual.stats()[stat]).toBe(0);
    expect(other.stats().compiled).toBeGreaterThan(0);
    expect(other.stats()[stat]).toBe(other.stats().compiled);
    expect(b.losses).toEqual(a.losses);
    expect(b.w1).toEqual(a.w1);
    expect(b.w2).toEqual(a.w2);
  });

  it('gives the same result when steps are recorded without reading in between (stages)', async () => {
    const a = await train(createOnnxRuntimeBackend({ threads: 1 }), 3, false);
    const b = await train(createOnnxRuntimeBackend({ threads: 1, hostOptimizer: false }), 3, true);
    expectClose(a.losses, b.losses, 6);
    expectClose(a.w1, b.w1, 6);
  });

  it('never overwrites values that a live tensor (a view) or a later computation still reads', async () => {
    const b = createOnnxRuntimeBackend({ threads: 1 });
    const w = tensor(b, [1, 2, 3, 4], [2, 2]);
    w.requiresGrad = true;
    const opt = new AdamW([{ params: [w], weightDecay: 0 }], { lr: 0.5 });
    const step = async () => {
      const l = tidy(() => {
        const s = sum(mul(matmul(w, w), 1));
        s.backward();
        return s;
      });
      opt.step();
      opt.zeroGrad();
      await l.item();
      l.dispose();
    };
    await step(); // w now holds an array the backend made
    const before = Array.from(await w.data());
    const view = reshape(w, [4]); // shares w's array
    const later = mul(w, 10); // pending, reads the old w
    await step();
    expect(Array.from(await view.data())).toEqual(before); // the view kept the old values
    expect(Array.from(await later.data())).toEqual(before.map((v) => v * 10));
    const after = Array.from(await w.data());
    expect(after).not.toEqual(before);
    // A computation mixing old and new values, recorded before the update is run: staged, old kept.
    const old = reshape(w, [2, 2]);
    const mixedStep = (() => {
      const l = tidy(() => {
        const s = sum(matmul(w, w));
        s.backward();
        return s;
      });
      opt.step();
      opt.zeroGrad();
      return l;
    })();
    const mixed = add(old, w); // old values + new values, both pending on the update
    const oldValues = Array.from(await old.data());
    expect(oldValues).toEqual(after);
    const newValues = Array.from(await w.data());
    expectClose(
      Array.from(await mixed.data()),
      oldValues.map((v, i) => v + (newValues[i] as number)),
      5,
    );
    // A disposed pending node reading the old values, needed by a computation that also needs the new ones:
    // the old array is still read in the second stage, so it is not overwritten.
    const current = Array.from(await w.data());
    const pre = mul(w, 1); // pending, reads the current (soon old) array
    const lossB = (() => {
      const l = tidy(() => {
        const s = sum(matmul(w, w));
        s.backward();
        return s;
      });
      opt.step();
      opt.zeroGrad();
      return l;
    })();
    const both = add(pre, w);
    pre.dispose();
    const updated = Array.from(await w.data()); // runs both stages
    expect(updated).not.toEqual(current);
    expectClose(
      Array.from(await both.data()),
      current.map((v, i) => v + (updated[i] as number)),
      5,
    );
    for (const t of [w, view, later, old, mixed, mixedStep, lossB, both]) t.dispose();
    opt.dispose();
  });
});
