import { describe, expect, it } from 'vitest';
import { createJsBackend } from './index.js';

const be = createJsBackend();
const f32 = (values: number[], shape = [values.length]) => be.write(Float32Array.from(values), shape, 'float32');
const i32 = (values: number[], shape = [values.length]) => be.write(Int32Array.from(values), shape, 'int32');
const read = (b: ReturnType<typeof f32>) => Array.from(be.readSync(b));

describe('where', () => {
  it('selects with all three operands broadcast', () => {
    // cond (2, 1), a (3), b () → (2, 3)
    const out = be.where(i32([1, 0], [2, 1]), f32([1, 2, 3]), f32([-1], []));
    expect(read(out)).toEqual([1, 2, 3, -1, -1, -1]);
    // cond (3), a (2, 1), b (2, 3)
    const out2 = be.where(i32([0, 5, 0]), f32([10, 20], [2, 1]), f32([1, 2, 3, 4, 5, 6], [2, 3]));
    expect(read(out2)).toEqual([1, 10, 3, 4, 20, 6]);
  });

  it('keeps the dtype of the branches and any non-zero condition is true', () => {
    const out = be.where(i32([-3, 0, 2]), i32([1, 2, 3]), i32([7, 8, 9]));
    expect(be.readSync(out)).toBeInstanceOf(Int32Array);
    expect(read(out)).toEqual([1, 8, 3]);
  });

  it('passes NaN and handles rank 0 and size 0', () => {
    expect(read(be.where(i32([1], []), f32([Number.NaN], []), f32([0], [])))).toEqual([Number.NaN]);
    expect(be.readSync(be.where(i32([], [0]), f32([1], []), f32([2], []))).length).toBe(0);
  });
});

describe('broadcastTo', () => {
  it('repeats along new and size-1 axes', () => {
    expect(read(be.broadcastTo(f32([1, 2, 3]), [2, 3]))).toEqual([1, 2, 3, 1, 2, 3]);
    expect(read(be.broadcastTo(f32([1, 2], [2, 1]), [2, 3]))).toEqual([1, 1, 1, 2, 2, 2]);
    expect(read(be.broadcastTo(f32([7], []), [2, 2]))).toEqual([7, 7, 7, 7]);
    expect(read(be.broadcastTo(f32([1, 2], [1, 2, 1]), [2, 2, 3]))).toEqual([1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2]);
    expect(read(be.broadcastTo(i32([4, 5]), [2, 2]))).toEqual([4, 5, 4, 5]);
  });

  it('handles identity, rank 0 and size-0 targets', () => {
    expect(read(be.broadcastTo(f32([3], []), []))).toEqual([3]);
    expect(read(be.broadcastTo(f32([1, 2]), [2]))).toEqual([1, 2]);
    expect(be.readSync(be.broadcastTo(f32([1, 2]), [0, 2])).length).toBe(0);
  });

  it('copies long rows with a large broadcast', () => {
    const row = Array.from({ length: 100 }, (_, i) => i);
    const out = read(be.broadcastTo(f32(row), [3, 100]));
    expect(out).toEqual([...row, ...row, ...row]);
  });
});
