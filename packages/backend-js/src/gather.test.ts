import { describe, expect, it } from 'vitest';
import { createJsBackend } from './index.js';

const be = createJsBackend();
const f32 = (values: ArrayLike<number>, shape: number[]) => be.write(Float32Array.from(values), shape, 'float32');
const i32 = (values: number[], shape: number[]) => be.write(Int32Array.from(values), shape, 'int32');
const read = (b: ReturnType<typeof f32>) => Array.from(be.readSync(b));
const shapeOf = (b: ReturnType<typeof f32>) => (b as unknown as { shape: number[] }).shape;

describe('gather', () => {
  it('looks up rows of an embedding table with a 2-D index (axis 0)', () => {
    const table = f32([0, 1, 10, 11, 20, 21], [3, 2]);
    const out = be.gather(table, i32([2, 0, 1, 2], [2, 2]), 0);
    expect(shapeOf(out)).toEqual([2, 2, 2]);
    expect(read(out)).toEqual([20, 21, 0, 1, 10, 11, 20, 21]);
  });

  it('takes along a middle and the last axis', () => {
    const x = f32(
      Array.from({ length: 24 }, (_, i) => i),
      [2, 3, 4],
    );
    const mid = be.gather(x, i32([2, 2, 0], [3]), 1);
    expect(shapeOf(mid)).toEqual([2, 3, 4]);
    expect(read(mid)).toEqual([8, 9, 10, 11, 8, 9, 10, 11, 0, 1, 2, 3, 20, 21, 22, 23, 20, 21, 22, 23, 12, 13, 14, 15]);
    const last = be.gather(x, i32([3, 0], [1, 2]), 2);
    expect(shapeOf(last)).toEqual([2, 3, 1, 2]);
    expect(read(last)).toEqual([3, 0, 7, 4, 11, 8, 15, 12, 19, 16, 23, 20]);
  });

  it('accepts rank-0 and empty indices, and int32 values', () => {
    const out = be.gather(f32([1, 2, 3, 4], [2, 2]), i32([1], []), 0);
    expect(shapeOf(out)).toEqual([2]);
    expect(read(out)).toEqual([3, 4]);
    expect(shapeOf(be.gather(f32([1, 2, 3, 4], [2, 2]), i32([], [0]), 1))).toEqual([2, 0]);
    expect(read(be.gather(i32([5, 6, 7], [3]), i32([2, 2], [2]), 0))).toEqual([7, 7]);
    const wide = f32(
      Array.from({ length: 128 }, (_, i) => i),
      [2, 64],
    );
    expect(read(be.gather(wide, i32([1], [1]), 0))).toEqual(Array.from({ length: 64 }, (_, i) => 64 + i));
  });

  it('throws a RangeError naming an out-of-range index', () => {
    const table = f32([0, 1, 2], [3]);
    expect(() => be.gather(table, i32([0, 3], [2]), 0)).toThrow(RangeError);
    expect(() => be.gather(table, i32([0, 3], [2]), 0)).toThrow(/index 3 .*out of range \[0, 3\)/);
    expect(() => be.gather(table, i32([-1], [1]), 0)).toThrow(/index -1/);
  });
});

describe('scatterAdd', () => {
  it('accumulates repeated indices', () => {
    const out = be.scatterAdd(f32([1, 2, 3, 4, 5, 6], [3, 2]), i32([1, 1, 3], [3]), 0, 4);
    expect(shapeOf(out)).toEqual([4, 2]);
    expect(read(out)).toEqual([0, 0, 4, 6, 0, 0, 5, 6]);
  });

  it('scatters along the last axis with 2-D indices and int32 wrap-around', () => {
    const out = be.scatterAdd(f32([1, 2, 3, 4], [1, 2, 2]), i32([0, 2, 2, 2], [2, 2]), 1, 3);
    expect(shapeOf(out)).toEqual([1, 3]);
    expect(read(out)).toEqual([1, 0, 9]);
    const ints = be.scatterAdd(i32([2147483647, 1], [2]), i32([0, 0], [2]), 0, 1);
    expect(read(ints)).toEqual([-2147483648]);
  });

  it('is the adjoint of gather: ⟨gather(x), y⟩ = ⟨x, scatterAdd(y)⟩', () => {
    const xv = Array.from({ length: 2 * 5 * 3 }, (_, i) => Math.sin(i + 1));
    const yv = Array.from({ length: 2 * 4 * 3 }, (_, i) => Math.cos(i * 0.7));
    const idx = i32([4, 0, 4, 2], [4]);
    const g = be.readSync(be.gather(f32(xv, [2, 5, 3]), idx, 1));
    const s = be.readSync(be.scatterAdd(f32(yv, [2, 4, 3]), idx, 1, 5));
    const lhs = Array.from(g).reduce((acc: number, v, i) => acc + v * Math.fround(yv[i]), 0);
    const rhs = Array.from(s).reduce((acc: number, v, i) => acc + v * Math.fround(xv[i]), 0);
    expect(lhs).toBeCloseTo(rhs, 5);
  });

  it('returns zeros for empty updates and throws on out-of-range indices', () => {
    expect(read(be.scatterAdd(f32([], [0]), i32([], [0]), 0, 3))).toEqual([0, 0, 0]);
    expect(() => be.scatterAdd(f32([1], [1]), i32([5], [1]), 0, 3)).toThrow(RangeError);
    expect(() => be.scatterAdd(f32([1], [1]), i32([5], [1]), 0, 3)).toThrow(/index 5/);
  });
});
