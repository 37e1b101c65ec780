import {
  AdamW,
  add,
  crossEntropy,
  gelu,
  keep,
  layerNorm,
  matmul,
  memoryInfo,
  Random,
  type Tensor,
  tensor,
  tidy,
} from '@rlhf/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWebGpuBackend, type WebGpuBackend } from './index.js';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await createWebGpuBackend();
});

/** A two-layer classifier with LayerNorm and GELU trained by AdamW (the conformance suite's miniature step). */
function miniature(b: WebGpuBackend): { step: () => Tensor; dispose: () => void } {
  const rng = new Random(11);
  const param = (shape: number[], std: number): Tensor => {
    const t = keep(
      tensor(
        b,
        rng.normals(
          shape.reduce((p, d) => p * d, 1),
          0,
          std,
        ),
        shape,
      ),
    );
    t.requiresGrad = true;
    return t;
  };
  const [w1, w2, gamma, beta] = [param([6, 8], 0.4), param([8, 4], 0.4), param([8], 0.1), param([8], 0.1)];
  const opt = new AdamW([w1, w2, gamma, beta], { lr: 0.01 });
  const x = keep(tensor(b, rng.normals(30), [5, 6]));
  const targets = keep(tensor(b, [0, 3, -100, 1, 2], [5], 'int32'));
  return {
    step: () =>
      tidy(() => {
        const h = gelu(layerNorm(matmul(x, w1), add(gamma, 1), beta, 1e-5));
        const loss = crossEntropy(matmul(h, w2), targets);
        loss.backward();
        opt.step();
        opt.zeroGrad();
        return loss;
      }),
    dispose: () => {
      for (const t of [w1, w2, gamma, beta, x, targets]) t.dispose();
      opt.dispose();
    },
  };
}

describe('webgpu execution: batching, pooling, memory', () => {
  it('500 training steps: live buffers and bytes flat, no device buffer created after the second step', async () => {
    const start = memoryInfo(gpu);
    const model = miniature(gpu);
    let first = { liveBuffers: -1, liveBytes: -1, liveTensors: -1 };
    let createdAfterFirst = -1;
    const losses: number[] = [];
    for (let i = 0; i < 500; i++) {
      const loss = model.step();
      if (i % 50 === 0 || i === 499) losses.push(await loss.item());
      loss.dispose();
      if (i === 0) first = memoryInfo(gpu);
      // the second step is the first with AdamW's old and new moments live at once: the peak
      if (i === 1) createdAfterFirst = gpu.stats().buffersCreated;
    }
    expect(memoryInfo(gpu)).toEqual(first);
    // the pool serves every allocation of the later steps (a staging buffer for a loss read included)
    expect(gpu.stats().buffersCreated).toBe(createdAfterFirst);
    expect(losses[losses.length - 1]).toBeLessThan((losses[0] as number) * 0.5);
    model.dispose();
    expect(memoryInfo(gpu)).toEqual(start);
  });

  it('kernels are submitted in batches: one submit for a chain of 200 kernels and its read', async () => {
    const before = gpu.stats();
    // x ← 1 − x, 200 times, from 5: 5, −4, 5, … ends at 5
    let x = gpu.fill([64], 5, 'float32');
    const one = gpu.fill([], 1, 'float32');
    for (let i = 0; i < 200; i++) {
      const y = gpu.unary('neg', x);
      gpu.dispose(x);
      x = gpu.binary('add', y, one);
      gpu.dispose(y);
    }
    const values = await gpu.read(x);
    const after = gpu.stats();
    expect(after.dispatches - before.dispatches).toBe(402);
    expect(after.submits - before.submits).toBe(1);
    expect(values[0]).toBe(5);
    expect(values[63]).toBe(5);
    gpu.dispose(x);
    gpu.dispose(one);
  });

  it('pipelines are compiled once per kernel signature', async () => {
    const x = gpu.write(Float32Array.of(1, 2, 3), [3], 'float32');
    gpu.dispose(gpu.unary('exp', x));
    const compiled = gpu.stats().pipelines;
    for (let i = 0; i < 5; i++) gpu.dispose(gpu.unary('exp', x));
    expect(gpu.stats().pipelines).toBe(compiled);
    const e = gpu.unary('exp', x);
    const values = await gpu.read(e);
    [1, 2, 3].forEach((v, i) => {
      expect(values[i]).toBeCloseTo(Math.exp(v), 5);
    });
    gpu.dispose(e);
    gpu.dispose(x);
  });

  it('a host write after pending kernels that used the same pooled buffer lands after them', async () => {
    // x is read by a recorded (not yet submitted) kernel, then freed; the next write takes its buffer
    // from the pool. The write must not overtake the pending kernel.
    const x = gpu.write(Float32Array.of(1, 2, 3, 4), [4], 'float32');
    const y = gpu.unary('neg', x);
    gpu.dispose(x);
    const z = gpu.write(Float32Array.of(10, 20, 30, 40), [4], 'float32');
    expect(Array.from(await gpu.read(y))).toEqual([-1, -2, -3, -4]);
    expect(Array.from(await gpu.read(z))).toEqual([10, 20, 30, 40]);
    gpu.dispose(y);
    gpu.dispose(z);
  });
});
