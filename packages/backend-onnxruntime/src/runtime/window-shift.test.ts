import { add, concat, matmul, mul, noGrad, replayable, slice, type Tensor, tensor } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { createOnnxRuntimeBackend } from '../index.js';
import { applyShift } from './window-shift.js';

/** The window (B, C, D) shifted by the rows of `fresh` (B, R, D) along axis 1, the plain way. */
function shiftedByHand(window: number[], fresh: number[], [b, c, d]: number[], rows: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < (b as number); i++) {
    out.push(...window.slice((i * (c as number) + rows) * (d as number), (i + 1) * (c as number) * (d as number)));
    out.push(...fresh.slice(i * rows * (d as number), (i + 1) * rows * (d as number)));
  }
  return out;
}

describe('applyShift', () => {
  const shape = [2, 5, 3];
  const window = Float32Array.from({ length: 30 }, (_, i) => i);
  const fresh = Float32Array.from({ length: 12 }, (_, i) => 100 + i);

  it('shifts each block along the axis and appends the new rows, into a new array or in place', () => {
    const expected = shiftedByHand(Array.from(window), Array.from(fresh), shape, 2);
    const out = new Float32Array(30);
    applyShift(window, fresh, 0, shape, { input: 0, axis: 1, rows: 2 }, out);
    expect(Array.from(out)).toEqual(expected);
    const inPlace = window.slice();
    applyShift(inPlace, fresh, 0, shape, { input: 0, axis: 1, rows: 2 }, inPlace);
    expect(Array.from(inPlace)).toEqual(expected);
  });

  it('shifts along the last axis (inner size 1), reading the new rows at an offset, and along the first axis', () => {
    const last = new Float32Array(30);
    // The new rows start at element 2 (as a window's rows do in the joined output of a replay).
    const joined = Float32Array.of(7, 7, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10);
    applyShift(window, joined, 2, shape, { input: 0, axis: 2, rows: 1 }, last);
    expect(Array.from(last.subarray(0, 6))).toEqual([1, 2, -1, 4, 5, -2]);
    expect(Array.from(last.subarray(27))).toEqual([28, 29, -10]);
    const first = new Float32Array(30);
    applyShift(window, fresh, 0, [5, 2, 3], { input: 0, axis: 0, rows: 2 }, first);
    expect(Array.from(first)).toEqual([...Array.from(window.subarray(12, 30)), ...Array.from(fresh)]);
  });
});

/**
 * A decoding-like step over two windows (B, C, D), like a layer's keys and values: the first shifted by
 * row = 2·x·W, the second by −row (the two new rows are returned joined, as one output), and
 * row + the first window's last row.
 */
function step(w: Tensor, c: number) {
  return ([x, keys, values]: readonly Tensor[]): Tensor[] => {
    const [b, , d] = (keys as Tensor).shape as [number, number, number];
    const row = mul(matmul(x as Tensor, w), 2); // (B, 1, D)
    const shift = (win: Tensor, fresh: Tensor) => concat([slice(win, [0, 1, 0], [b, c - 1, d]), fresh], 1);
    return [
      shift(keys as Tensor, row),
      add(row, slice(keys as Tensor, [0, c - 1, 0], [b, 1, d])),
      shift(values as Tensor, mul(row, -1)),
    ];
  };
}

describe('replays whose outputs are shifted windows of their inputs', () => {
  const c = 6;
  const shape = [2, c, 3];
  const W = Array.from({ length: 6 }, (_, i) => i - 2);
  const xOf = (i: number) => Array.from({ length: 4 }, (_, j) => (j + 1) * (i + 1) * 0.25);
  /** The step's outputs by hand: row = 2·x·W per sequence, the shifted window, row + the window's last row. */
  const byHand = (x: number[], window: number[]) => {
    const row: number[] = [];
    for (let b = 0; b < 2; b++) {
      for (let k = 0; k < 3; k++)
        row.push(2 * ((x[2 * b] as number) * (W[k] as number) + (x[2 * b + 1] as number) * (W[3 + k] as number)));
    }
    const sum = row.map((r, i) => r + (window[(Math.floor(i / 3) * c + c - 1) * 3 + (i % 3)] as number));
    return { next: shiftedByHand(window, row, shape, 1), sum, row };
  };
  const setup = () => {
    const backend = createOnnxRuntimeBackend({ threads: 1 });
    const w = tensor(backend, Float32Array.from(W), [2, 3]);
    return { backend, replayed: replayable(step(w, c)) };
  };

  it('equal the step by hand, and leave every old window that is still held as it was', async () => {
    const { backend, replayed } = setup();
    const zeros = new Float32Array(2 * c * 3);
    const windows: Tensor[][] = [[tensor(backend, zeros, shape), tensor(backend, zeros, shape)]];
    const expected: number[][][] = [[Array.from(zeros), Array.from(zeros)]];
    for (let i = 0; i < 8; i++) {
      const x = tensor(backend, Float32Array.from(xOf(i)), [2, 1, 2]);
      const [keys, values] = windows[i] as [Tensor, Tensor];
      const [nextKeys, sum, nextValues] = noGrad(() => replayed([x, keys, values])) as [Tensor, Tensor, Tensor];
      const [wantKeys, wantValues] = expected[i] as [number[], number[]];
      const want = byHand(xOf(i), wantKeys);
      expect(Array.from(await sum.data())).toEqual(want.sum);
      windows.push([nextKeys, nextValues]);
      expected.push([
        want.next,
        shiftedByHand(
          wantValues,
          want.row.map((r) => -r),
          shape,
          1,
        ),
      ]);
    }
    expect(backend.stats().replays).toBe(6);
    expect(backend.stats().inPlaceUpdates).toBe(0);
    for (let i = 0; i < windows.length; i++) {
      const [keys, values] = windows[i] as [Tensor, Tensor];
      const [wantKeys, wantValues] = expected[i] as [number[], number[]];
      expect(Array.from(await keys.data())).toEqual(wantKeys);
      expect(Array.from(await values.data())).toEqual(wantValues);
    }
    replayed.release();
  });

  it('shift a window disposed before the replay ran in place (as generation does), with the same values', async () => {
    const { backend, replayed } = setup();
    let keys = tensor(backend, new Float32Array(2 * c * 3), shape);
    let values = tensor(backend, new Float32Array(2 * c * 3), shape);
    let expectedKeys = new Array<number>(2 * c * 3).fill(0);
    let expectedValues = new Array<number>(2 * c * 3).fill(0);
    for (let i = 0; i < 8; i++) {
      const x = tensor(backend, Float32Array.from(xOf(i)), [2, 1, 2]);
      const [nextKeys, sum, nextValues] = noGrad(() => replayed([x, keys, values])) as [Tensor, Tensor, Tensor];
      keys.dispose(); // before anything is read: the replay runs after it
      values.dispose();
      x.dispose();
      const want = byHand(xOf(i), expectedKeys);
      expect(Array.from(await sum.data())).toEqual(want.sum);
      sum.dispose();
      [keys, values] = [nextKeys, nextValues];
      expectedKeys = want.next;
      expectedValues = shiftedByHand(
        expectedValues,
        want.row.map((r) => -r),
        shape,
        1,
      );
      expect(Array.from(await keys.data())).toEqual(expectedKeys);
      expect(Array.from(await values.data())).toEqual(expectedValues);
    }
    expect(backend.stats().replays).toBe(6);
    expect(backend.stats().inPlaceUpdates).toBe(12);
    replayed.release();
  });
});
