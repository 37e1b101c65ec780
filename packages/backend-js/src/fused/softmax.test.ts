import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../index.js';

const be = createJsBackend();
const f32 = (values: ArrayLike<number>, shape: number[]) => be.write(Float32Array.from(values), shape, 'float32');
const read = (b: ReturnType<typeof f32>) => Array.from(be.readSync(b));

/** Float64 reference of one row. */
function softmaxRow(row: number[]): number[] {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

describe('fused softmax', () => {
  it('normalises each row of the last axis', () => {
    const out = read(be.fused.softmax(f32([0, Math.log(3), 1, 1, 1, 1], [2, 3])));
    const expected = [...softmaxRow([0, Math.fround(Math.log(3)), 1]), 1 / 3, 1 / 3, 1 / 3];
    for (const [i, v] of out.entries()) expect(v).toBeCloseTo(expected[i], 7);
  });

  it('is stable for large logits and gives 0 for −∞', () => {
    expect(read(be.fused.softmax(f32([1000, 1000], [2])))).toEqual([0.5, 0.5]);
    expect(read(be.fused.softmax(f32([-1000, 0, 1000], [3])))).toEqual([0, 0, 1]);
    expect(read(be.fused.softmax(f32([-Infinity, 0], [2])))).toEqual([0, 1]);
  });

  it('agrees with the composition of primitives on random rows', () => {
    const values = Array.from({ length: 4 * 37 }, (_, i) => 5 * Math.sin(i * 1.3));
    const x = f32(values, [4, 37]);
    const m = be.reduce('max', x, [1], true);
    const e = be.unary('exp', be.binary('sub', x, m));
    const composed = read(be.binary('div', e, be.reduce('sum', e, [1], true)));
    for (const [i, v] of read(be.fused.softmax(x)).entries()) expect(Math.abs(v - composed[i])).toBeLessThan(1e-7);
  });

  it('handles size-1 and size-0 rows', () => {
    expect(read(be.fused.softmax(f32([3, -2], [2, 1])))).toEqual([1, 1]);
    expect(read(be.fused.softmax(f32([], [2, 0])))).toEqual([]);
    expect(read(be.fused.softmax(f32([], [0, 4])))).toEqual([]);
  });
});

describe('fused logSoftmax', () => {
  it('computes x − max − log Σ exp(x − max) per row', () => {
    const out = read(be.fused.logSoftmax(f32([0, 0, 1, 2, 3, 4], [3, 2])));
    const rows = [
      [0, 0],
      [1, 2],
      [3, 4],
    ];
    const expected = rows.flatMap((row) => softmaxRow(row).map(Math.log));
    for (const [i, v] of out.entries()) expect(v).toBeCloseTo(expected[i], 6);
  });

  it('is stable and exact at large magnitudes', () => {
    expect(read(be.fused.logSoftmax(f32([1000, 1000], [2])))).toEqual([Math.fround(-Math.LN2), Math.fround(-Math.LN2)]);
    expect(read(be.fused.logSoftmax(f32([-1000, 0], [2])))).toEqual([-1000, 0]);
  });

  it('works in float64 mode at full precision', () => {
    const oracle = createJsBackend({ precision: 'float64' });
    const y = oracle.readFloat64(oracle.fused.logSoftmax(oracle.writeFloat64(Float64Array.of(0.1, 0.2), [2])));
    const lse = 0.2 + Math.log(Math.exp(0.1 - 0.2) + 1);
    expect(y[0]).toBeCloseTo(0.1 - lse, 15);
    expect(y[1]).toBeCloseTo(0.2 - lse, 15);
  });
});
