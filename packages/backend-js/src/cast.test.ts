import { describe, expect, it } from 'vitest';
import { createJsBackend } from './index.js';

const be = createJsBackend();
const f32 = (values: number[], shape = [values.length]) => be.write(Float32Array.from(values), shape, 'float32');
const i32 = (values: number[], shape = [values.length]) => be.write(Int32Array.from(values), shape, 'int32');
const read = (b: ReturnType<typeof f32>) => Array.from(be.readSync(b));

describe('cast', () => {
  it('truncates float → int32 toward zero, NaN → 0, saturating out of range', () => {
    const out = be.cast(f32([1.9, -1.9, 0.5, -0.5, Number.NaN, 3e9, -3e9, Infinity, -Infinity]), 'int32');
    expect(be.readSync(out)).toBeInstanceOf(Int32Array);
    expect(read(out)).toEqual([1, -1, 0, 0, 0, 2147483647, -2147483648, 2147483647, -2147483648]);
  });

  it('rounds int32 → float32 to nearest', () => {
    const out = be.cast(i32([16777217, -16777219, 7]), 'float32');
    expect(be.readSync(out)).toBeInstanceOf(Float32Array);
    expect(read(out)).toEqual([16777216, -16777220, 7]);
  });

  it('copies on a same-dtype cast, including rank 0', () => {
    expect(read(be.cast(f32([1.5], []), 'float32'))).toEqual([1.5]);
    expect(read(be.cast(i32([4, 5]), 'int32'))).toEqual([4, 5]);
  });
});
