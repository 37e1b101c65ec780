import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsBackend } from '@rlhf/backend-js';
import { AdamW, add, crossEntropy, keep, matmul, mul, Random, sum, type Tensor, tensor, tidy } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { createOnnxRuntimeBackend } from './index.js';

describe('OnnxRuntimeBackend (lazy graph capture)', () => {
  it('records without computing, then computes every live pending buffer in one run', async () => {
    const b = createOnnxRuntimeBackend({ threads: 1 });
    const x = tensor(b, [1, 2, 3, 4], [2, 2]);
    const y = matmul(x, x);
    const z = add(y, 1);
    expect(b.stats().runs).toBe(0);
    expect(Array.from(await z.data())).toEqual([8, 11, 16, 23]);
    expect(b.stats().runs).toBe(1);
    // y was live, so the same run materialised it: reading it needs no second run.
    expect(Array.from(await y.data())).toEqual([7, 10, 15, 22]);
    expect(b.stats().runs).toBe(1);
    for (const t of [x, y, z]) t.dispose();
  });

  it('a disposed pending buffer is not an output, but still feeds the live ones', async () => {
    const b = createOnnxRuntimeBackend({ threads: 1 });
    const x = tensor(b, [1, 2, 3]);
    const out = tidy(() => mul(add(x, 1), 2)); // add(x, 1) is disposed by tidy before any read
    expect(Array.from(await out.data())).toEqual([4, 6, 8]);
    x.dispose();
    out.dispose();
    expect(b.memory()).toEqual({ liveBuffers: 0, liveBytes: 0 });
  });

  it('writes onnxruntime profiles when asked: per-kernel times of every run, and time counters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlhf-ort-profile-'));
    try {
      const b = createOnnxRuntimeBackend({ threads: 1, profileFilePrefix: join(dir, 'step') });
      const x = tensor(b, [1, 2, 3, 4], [2, 2]);
      const y = matmul(x, x);
      expect(Array.from(await y.data())).toEqual([7, 10, 15, 22]);
      const stats = b.stats();
      expect(stats.runMs).toBeGreaterThan(0);
      await b.release();
      const files = readdirSync(dir);
      expect(files).toHaveLength(1);
      const events = JSON.parse(readFileSync(join(dir, files[0] as string), 'utf8')) as {
        name: string;
        args?: { op_name?: string };
      }[];
      expect(events.filter((e) => e.name === 'model_run')).toHaveLength(1);
      expect(events.some((e) => e.args?.op_name === 'MatMul')).toBe(true);
      x.dispose();
      y.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('replays a training step from the graph cache: one compilation, then hits with changing values', async () => {
    const b = createOnnxRuntimeBackend({ threads: 1 });
    const rng = new Random(3);
    const w = keep(tensor(b, rng.normals(12, 0, 0.5), [4, 3]));
    w.requiresGrad = true;
    const opt = new AdamW([w], { lr: 0.05 });
    const x = tensor(b, rng.normals(8), [2, 4]);
    const targets = tensor(b, [0, 2], [2], 'int32');
    const losses: number[] = [];
    for (let step = 0; step < 5; step++) {
      const loss = tidy(() => {
        const l = crossEntropy(matmul(x, w), targets);
        l.backward();
        return l;
      });
      opt.step(0.05 * (1 - step / 10)); // a changing learning rate is an input, not part of the graph
      opt.zeroGrad();
      losses.push(await loss.item());
      loss.dispose();
    }
    const stats = b.stats();
    expect(stats.runs).toBe(5);
    expect(stats.compiled).toBe(1);
    expect(stats.cacheHits).toBe(4);
    expect(losses[4]).toBeLessThan(losses[0] as number);
    for (const t of [w, x, targets] as Tensor[]) t.dispose();
    opt.dispose();
  });

  it('a batched Aᵀ·B summed over its batch axes (a weight gradient) is one GEMM, with the same values', async () => {
    const rng = new Random(7);
    const x = rng.normals(2 * 3 * 4);
    const dy = rng.normals(2 * 3 * 5);
    const run = async (b: ReturnType<typeof createJsBackend> | ReturnType<typeof createOnnxRuntimeBackend>) =>
      tidy(() => sum(matmul(tensor(b, dy, [2, 3, 5]), tensor(b, x, [2, 3, 4]), true, false), [0], true)).data();
    const expected = Array.from(await run(createJsBackend()));
    const b = createOnnxRuntimeBackend({ threads: 1 });
    const got = Array.from(await run(b));
    expect(got).toHaveLength(20);
    for (const [i, v] of got.entries()) expect(v).toBeCloseTo(expected[i] as number, 5);
    // matmul of the flattened inputs (their reshapes share host memory) and the keepDims reshape: no
    // batched product, no ReduceSum.
    expect(b.stats().lastGraphNodes).toBe(2);
  });

  it('a wide weight gradient (M > 8N: a vocabulary head) is computed as (Bᵀ·A)ᵀ, with the same values', async () => {
    const rng = new Random(8);
    const x = rng.normals(2 * 3 * 4);
    const dy = rng.normals(2 * 3 * 40);
    const run = async (b: ReturnType<typeof createJsBackend> | ReturnType<typeof createOnnxRuntimeBackend>) =>
      tidy(() => sum(matmul(tensor(b, dy, [2, 3, 40]), tensor(b, x, [2, 3, 4]), true, false), [0])).data();
    const expected = Array.from(await run(createJsBackend()));
    const b = createOnnxRuntimeBackend({ threads: 1 });
    const got = Array.from(await run(b));
    expect(got).toHaveLength(160); // (40, 4)
    for (const [i, v] of got.entries()) expect(v).toBeCloseTo(expected[i] as number, 5);
    expect(b.stats().lastGraphNodes).toBe(2); // the (4, 40) GEMM and its transpose
  });

  it('reading a materialised buffer returns a fresh copy; reshape of it shares the values', async () => {
    const b = createOnnxRuntimeBackend({ threads: 1 });
    const x = tensor(b, [1, 2, 3, 4], [2, 2]);
    const flat = b.reshape(x.buffer(), [4]);
    const first = await b.read(flat);
    first[0] = 100;
    expect(Array.from(await b.read(flat))).toEqual([1, 2, 3, 4]);
    b.dispose(flat);
    expect(b.stats().runs).toBe(0);
    expect(await sum(x).item()).toBe(10);
    x.dispose();
  });
});
