import { matmul, Random, randomNormal, slice, type TensorBackend, tidy } from '@rlhf/core';
import { measure } from '../timing.js';
import type { BenchMeasurement, Benchmark } from './types.js';

/**
 * GFLOP/s of a square float32 matmul C = A·B of size n (2n³ floating-point operations). Each run ends
 * by reading one element of C, so the product is really computed before the clock stops.
 */
function squareMatmulBenchmark(name: string, size: number, onlyBackends?: readonly string[]): Benchmark {
  return {
    name,
    description: `float32 matmul ${size}×${size}×${size}, GFLOP/s`,
    ...(onlyBackends ? { onlyBackends } : {}),
    run: ({ backend, quick, repeats }) => runMatmul(backend, quick ? 64 : size, quick, repeats),
  };
}

/** n = 1024 on every backend. */
export const matmulBenchmark: Benchmark = squareMatmulBenchmark('matmul', 1024);

/** n = 4096 (137 GFLOP a run): on the backends that can do it in seconds. */
export const matmul4096Benchmark: Benchmark = squareMatmulBenchmark('matmul-4096', 4096, ['onnxruntime', 'webgpu']);

async function runMatmul(
  backend: TensorBackend,
  n: number,
  quick: boolean,
  repeats: number | undefined,
): Promise<BenchMeasurement> {
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
}
