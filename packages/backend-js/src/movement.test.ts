import { describe, expect, it } from 'vitest';
import { createJsBackend } from './index.js';

const be = createJsBackend();
const f32 = (values: ArrayLike<number>, shape: number[]) => be.write(Float32Array.from(values), shape, 'float32');
const i32 = (values: number[], shape: number[]) => be.write(Int32Array.from(values), shape, 'int32');
const read = (b: ReturnType<typeof f32>) => Array.from(be.readSync(b));
const shapeOf = (b: ReturnType<typeof f32>) => (b as unknown as { shape: number[] }).shape;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Naive permute by multi-index arithmetic. */
function naivePermute(values: number[], shape: number[], perm: number[]): number[] {
  const outShape = perm.map((a) => shape[a]);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((x, y) => x * y, 1));
  const out: number[] = [];
  const idx = new Array<number>(outShape.length).fill(0);
  for (let n = 0; n < values.length; n++) {
    out.push(values[perm.reduce((o, a, i) => o + idx[i] * strides[a], 0)]);
    for (let d = outShape.length - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

describe('reshape', () => {
  it('keeps row-major order and shares storage safely', () => {
    const x = f32([1, 2, 3, 4, 5, 6], [2, 3]);
    const y = be.reshape(x, [3, 1, 2]);
    expect(shapeOf(y)).toEqual([3, 1, 2]);
    expect(read(y)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(read(be.reshape(f32([5], []), [1, 1]))).toEqual([5]);
    expect(shapeOf(be.reshape(f32([], [0, 2]), [2, 0, 3]))).toEqual([2, 0, 3]);
  });
});

describe('permute', () => {
  it('transposes a matrix and swaps the last two axes of a batch', () => {
    expect(read(be.permute(f32([1, 2, 3, 4, 5, 6], [2, 3]), [1, 0]))).toEqual([1, 4, 2, 5, 3, 6]);
    expect(read(be.permute(f32(range(12), [2, 2, 3]), [0, 2, 1]))).toEqual([0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11]);
  });

  it('matches a naive permute for every permutation of a rank-4 tensor', () => {
    const shape = [2, 3, 4, 5];
    const values = range(120);
    const t = f32(values, shape);
    const perms: number[][] = [];
    const build = (p: number[]) => {
      if (p.length === 4) perms.push(p);
      for (let a = 0; a < 4; a++) if (!p.includes(a)) build([...p, a]);
    };
    build([]);
    for (const p of perms) {
      const out = be.permute(t, p);
      expect(shapeOf(out)).toEqual(p.map((a) => shape[a]));
      expect(read(out), `perm ${p}`).toEqual(naivePermute(values, shape, p));
    }
  });

  it('uses tiles correctly on a large non-square transpose', () => {
    const values = range(70 * 45);
    expect(read(be.permute(f32(values, [70, 45]), [1, 0]))).toEqual(naivePermute(values, [70, 45], [1, 0]));
  });

  it('handles int32, rank 0, size 1 and size 0', () => {
    expect(read(be.permute(i32([1, 2, 3, 4], [2, 2]), [1, 0]))).toEqual([1, 3, 2, 4]);
    expect(read(be.permute(f32([7], []), []))).toEqual([7]);
    expect(read(be.permute(f32([1, 2, 3], [3, 1]), [1, 0]))).toEqual([1, 2, 3]);
    expect(shapeOf(be.permute(f32([], [0, 2]), [1, 0]))).toEqual([2, 0]);
  });
});

describe('slice', () => {
  it('takes inner blocks', () => {
    const x = f32(range(24), [2, 3, 4]);
    expect(read(be.slice(x, [1, 1, 1], [1, 2, 2]))).toEqual([17, 18, 21, 22]);
    expect(read(be.slice(x, [0, 2, 0], [2, 1, 4]))).toEqual([8, 9, 10, 11, 20, 21, 22, 23]);
    expect(read(be.slice(x, [0, 0, 3], [2, 3, 1]))).toEqual([3, 7, 11, 15, 19, 23]);
    expect(read(be.slice(x, [0, 0, 0], [2, 3, 4]))).toEqual(range(24));
  });

  it('copies long rows, int32, rank 0 and size 0', () => {
    const long = f32(range(200), [2, 100]);
    expect(read(be.slice(long, [1, 10], [1, 50]))).toEqual(range(50).map((i) => 110 + i));
    expect(read(be.slice(i32([1, 2, 3], [3]), [1], [2]))).toEqual([2, 3]);
    expect(read(be.slice(f32([4], []), [], []))).toEqual([4]);
    expect(shapeOf(be.slice(f32(range(6), [2, 3]), [1, 3], [1, 0]))).toEqual([1, 0]);
  });
});

describe('concat', () => {
  it('joins along the first, middle and last axis', () => {
    const a = f32([1, 2, 3, 4], [2, 2]);
    const b = f32([5, 6], [1, 2]);
    expect(read(be.concat([a, b], 0))).toEqual([1, 2, 3, 4, 5, 6]);
    const c = f32([7, 8, 9, 10, 11, 12], [2, 3]);
    const out = be.concat([a, c, a], 1);
    expect(shapeOf(out)).toEqual([2, 7]);
    expect(read(out)).toEqual([1, 2, 7, 8, 9, 1, 2, 3, 4, 10, 11, 12, 3, 4]);
    const p = f32(range(8), [2, 2, 2]);
    expect(read(be.concat([p, f32([-1, -2, -3, -4], [2, 1, 2])], 1))).toEqual([0, 1, 2, 3, -1, -2, 4, 5, 6, 7, -3, -4]);
  });

  it('handles a single input, size-0 inputs, int32 and long chunks', () => {
    expect(read(be.concat([f32([1, 2], [2])], 0))).toEqual([1, 2]);
    expect(read(be.concat([f32([], [0]), f32([3], [1]), f32([], [0])], 0))).toEqual([3]);
    expect(read(be.concat([i32([1], [1, 1]), i32([2], [1, 1])], 1))).toEqual([1, 2]);
    expect(read(be.concat([f32(range(40), [1, 40]), f32(range(40), [1, 40])], 0))).toEqual([
      ...range(40),
      ...range(40),
    ]);
  });
});

describe('pad', () => {
  it('pads each axis with a value', () => {
    const out = be.pad(
      f32([1, 2, 3, 4], [2, 2]),
      [
        [1, 0],
        [0, 2],
      ],
      -1,
    );
    expect(shapeOf(out)).toEqual([3, 4]);
    expect(read(out)).toEqual([-1, -1, -1, -1, 1, 2, -1, -1, 3, 4, -1, -1]);
    expect(read(be.pad(f32([1, 2], [2]), [[1, 2]], 0))).toEqual([0, 1, 2, 0, 0]);
  });

  it('pads around size-1 trailing axes', () => {
    // (3, 1) → (3, 3): the interior is a strided column.
    expect(
      read(
        be.pad(
          f32([1, 2, 3], [3, 1]),
          [
            [0, 0],
            [1, 1],
          ],
          0,
        ),
      ),
    ).toEqual([0, 1, 0, 0, 2, 0, 0, 3, 0]);
  });

  it('handles int32, rank 0, zero padding and size-0 inputs', () => {
    expect(read(be.pad(i32([5], [1]), [[2, 1]], 7))).toEqual([7, 7, 5, 7]);
    expect(read(be.pad(f32([5], []), [], 0))).toEqual([5]);
    expect(read(be.pad(f32([1, 2], [2]), [[0, 0]], 9))).toEqual([1, 2]);
    expect(
      read(
        be.pad(
          f32([], [0, 2]),
          [
            [1, 0],
            [0, 0],
          ],
          3,
        ),
      ),
    ).toEqual([3, 3]);
    expect(read(be.pad(f32([1, 2], [2]), [[20, 20]], 0)).slice(18, 24)).toEqual([0, 0, 1, 2, 0, 0]);
  });
});
