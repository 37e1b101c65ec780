import { describe, expect, it } from 'vitest';
import { createJsBackend } from './index.js';

const be = createJsBackend();
const f32 = (values: ArrayLike<number>, shape: number[]) => be.write(Float32Array.from(values), shape, 'float32');
const shapeOf = (b: ReturnType<typeof f32>) => (b as unknown as { shape: number[] }).shape;

/** Seeded uniform values in [−1, 1) (mulberry32). */
function random(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  });
}

/** Naive batched triple loop with broadcast batch dims. */
function naive(a: Float32Array, aShape: number[], b: Float32Array, bShape: number[], ta: boolean, tb: boolean) {
  const ra = aShape.length;
  const rb = bShape.length;
  const [M, K] = ta ? [aShape[ra - 1], aShape[ra - 2]] : [aShape[ra - 2], aShape[ra - 1]];
  const N = tb ? bShape[rb - 2] : bShape[rb - 1];
  const batchA = aShape.slice(0, -2);
  const batchB = bShape.slice(0, -2);
  const rank = Math.max(batchA.length, batchB.length);
  const pa = [...new Array(rank - batchA.length).fill(1), ...batchA];
  const pb = [...new Array(rank - batchB.length).fill(1), ...batchB];
  const batch = pa.map((d, i) => Math.max(d, pb[i]));
  const total = batch.reduce((x, y) => x * y, 1);
  const out = new Float64Array(total * M * N);
  for (let t = 0; t < total; t++) {
    let rem = t;
    let ia = 0;
    let ib = 0;
    let sa = 1;
    let sb = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const idx = rem % batch[d];
      rem = Math.floor(rem / batch[d]);
      ia += (pa[d] === 1 ? 0 : idx) * sa;
      ib += (pb[d] === 1 ? 0 : idx) * sb;
      sa *= pa[d];
      sb *= pb[d];
    }
    const ao = ia * M * K;
    const bo = ib * K * N;
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) {
          const av = ta ? a[ao + k * M + i] : a[ao + i * K + k];
          const bv = tb ? b[bo + j * K + k] : b[bo + k * N + j];
          s += av * bv;
        }
        out[t * M * N + i * N + j] = s;
      }
  }
  return { data: out, shape: [...batch, M, N] };
}

function check(aShape: number[], bShape: number[], ta: boolean, tb: boolean, seed: number): void {
  const av = random(
    aShape.reduce((x, y) => x * y, 1),
    seed,
  );
  const bv = random(
    bShape.reduce((x, y) => x * y, 1),
    seed + 1,
  );
  const out = be.matmul(f32(av, aShape), f32(bv, bShape), ta, tb);
  const expected = naive(av, aShape, bv, bShape, ta, tb);
  expect(shapeOf(out)).toEqual(expected.shape);
  const got = be.readSync(out);
  expect(got.length).toBe(expected.data.length);
  for (let i = 0; i < got.length; i++) {
    // Both sums are float64; the only difference is the final rounding to float32.
    expect(Math.abs(got[i] - expected.data[i])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(expected.data[i])));
  }
}

describe('matmul', () => {
  it('multiplies a small example exactly', () => {
    const a = f32([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = f32([7, 8, 9, 10, 11, 12], [3, 2]);
    expect(Array.from(be.readSync(be.matmul(a, b, false, false)))).toEqual([58, 64, 139, 154]);
    expect(Array.from(be.readSync(be.matmul(a, a, false, true)))).toEqual([14, 32, 32, 77]);
    expect(Array.from(be.readSync(be.matmul(a, a, true, false)))).toEqual([17, 22, 27, 22, 29, 36, 27, 36, 45]);
    expect(Array.from(be.readSync(be.matmul(a, b, true, true)))).toEqual([39, 49, 59, 54, 68, 82, 69, 87, 105]);
  });

  for (const [ta, tb] of [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ] as const) {
    it(`matches a naive triple loop on random data (transposeA=${ta}, transposeB=${tb})`, () => {
      // Sizes hit the 2×4 tiles, odd leftover rows and columns, the column blocks (N > 64) and small M
      // (the unpacked i-k-j path).
      const sizes = [
        [1, 1, 1],
        [1, 7, 5],
        [2, 9, 3],
        [3, 5, 7],
        [7, 13, 5],
        [8, 16, 8],
        [33, 70, 67],
      ];
      let seed = 1;
      for (const [M, K, N] of sizes) {
        const aShape = ta ? [K, M] : [M, K];
        const bShape = tb ? [N, K] : [K, N];
        check(aShape, bShape, ta, tb, seed++);
      }
    });

    it(`broadcasts batch dimensions (transposeA=${ta}, transposeB=${tb})`, () => {
      const [M, K, N] = [3, 4, 5];
      const a = (batch: number[]) => [...batch, ...(ta ? [K, M] : [M, K])];
      const b = (batch: number[]) => [...batch, ...(tb ? [N, K] : [K, N])];
      check(a([2]), b([2]), ta, tb, 10);
      check(a([2, 1]), b([3]), ta, tb, 11); // → (2, 3, M, N)
      check(a([]), b([2, 2]), ta, tb, 12);
      check(a([4, 2]), b([]), ta, tb, 13);
      check(a([1, 3]), b([2, 1]), ta, tb, 14);
    });
  }

  it('gives zeros for K = 0 and empty outputs for M, N or batch = 0', () => {
    const z = be.matmul(f32([], [2, 0]), f32([], [0, 3]), false, false);
    expect(shapeOf(z)).toEqual([2, 3]);
    expect(Array.from(be.readSync(z))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(shapeOf(be.matmul(f32([], [0, 4]), f32(random(12, 3), [4, 3]), false, false))).toEqual([0, 3]);
    expect(be.readSync(be.matmul(f32([], [0, 2, 4]), f32(random(12, 3), [4, 3]), false, false)).length).toBe(0);
  });

  it('rejects int32 inputs', () => {
    const x = be.write(Int32Array.of(1), [1, 1], 'int32');
    expect(() => be.matmul(x, x, false, false)).toThrow(/not supported/);
  });
});
