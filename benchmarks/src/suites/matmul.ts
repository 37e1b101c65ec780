import { matmul, Random, randomNormal, slice, tidy } from '@rlhf/core';
import { measure } from '../timing.js';
import type { Benchmark } from './types.js';

/**
 * GFLOP/s of a square float32 matmul C = A·B (n = 1024; 2n³ floating-point operations). Each run ends
 * by reading one element of C, so the product is really computed before the clock stops.
 */
export const matmulBenchmark: Benchmark = {
  name: 'matmul',
  description: 'float32 matmul 1024×1024×1024, GFLOP/s',
  async run({ backend, quick, repeats }) {
    const n = quick ? 64 : 1024;
    const rng = new Random(0);
    const a = randomNormal(backend, [n, n], rng);
    const b = randomNormal(backend, [n, n], rng);
    try {
      const timing = await measure(
        async () => {
          const probe = tidy(() => slice(matmul(a, b), [0, 0], [1, 1]));
          await probe.data();
          probe.dispose();
        },
        quick ? 0 : 1,
        repeats ?? (quick ? 1 : 5),
      );
      const flops = 2 * n * n * n;
      return {
        metric: 'GFLOP/s',
        value: flops / (timing.medianMs / 1000) / 1e9,
        ...timing,
        params: { m: n, n, k: n, dtype: 'float32' },
      };
    } finally {
      a.dispose();
      b.dispose();
    }
  },
};
