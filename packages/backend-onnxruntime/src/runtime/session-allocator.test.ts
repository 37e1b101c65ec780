import { AdamW, crossEntropy, matmul, Random, type TensorBackend, tensor, tidy } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { createOnnxRuntimeBackend } from '../index.js';

/** Four AdamW steps of a two-matrix classifier; the losses and the trained weights. */
async function train(backend: TensorBackend) {
  const rng = new Random(5);
  const values = (n: number) => Float32Array.from({ length: n }, () => rng.normal() * 0.5);
  const w1 = tensor(backend, values(16 * 32), [16, 32]);
  const w2 = tensor(backend, values(32 * 8), [32, 8]);
  for (const w of [w1, w2]) w.requiresGrad = true;
  const x = tensor(backend, values(64 * 16), [64, 16]);
  const y = tensor(
    backend,
    Int32Array.from({ length: 64 }, (_, i) => (i * 5) % 8),
    [64],
    'int32',
  );
  const opt = new AdamW([{ params: [w1, w2], weightDecay: 0.1 }], { lr: 0.05 });
  const losses: number[] = [];
  for (let s = 0; s < 4; s++) {
    const loss = tidy(() => {
      const l = crossEntropy(matmul(matmul(x, w1), w2), y);
      l.backward();
      return l;
    });
    opt.step();
    opt.zeroGrad();
    losses.push(await loss.item());
    loss.dispose();
  }
  const weights = [...(await w1.data()), ...(await w2.data())];
  for (const t of [w1, w2, x, y]) t.dispose();
  opt.dispose();
  return { losses, weights };
}

describe('allocator of large graphs', () => {
  it('compiles graphs above arenaMaxElements without the arena, with the same results', async () => {
    const arena = createOnnxRuntimeBackend({ threads: 1 });
    const system = createOnnxRuntimeBackend({ threads: 1, arenaMaxElements: 0 });
    const a = await train(arena);
    const b = await train(system);
    expect(arena.stats().systemAllocatorSessions).toBe(0);
    expect(system.stats().systemAllocatorSessions).toBe(system.stats().compiled);
    expect(system.stats().compiled).toBeGreaterThan(0);
    expect(b.losses).toEqual(a.losses);
    expect(b.weights).toEqual(a.weights);
    expect(a.losses[3] as number).toBeLessThan(a.losses[0] as number);
    await arena.release();
    await system.release();
  });
});
