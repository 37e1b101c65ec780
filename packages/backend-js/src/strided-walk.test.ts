import { describe, expect, it } from 'vitest';
import { broadcastStrides, stridesOf } from './shape.js';
import { StridedWalk } from './strided-walk.js';

/** Every (offset₀, offset₁, ...) the walk visits, element by element. */
function visit(walk: StridedWalk): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < walk.runs; r++) {
    for (let i = 0; i < walk.runLength; i++) out.push(walk.offsets.map((o, k) => o + i * walk.runStrides[k]));
    walk.next();
  }
  return out;
}

const walkFor = (out: number[], ...inputs: number[][]) =>
  new StridedWalk(out, [stridesOf(out), ...inputs.map((s) => broadcastStrides(s, out))]);

describe('StridedWalk', () => {
  it('merges equal shapes into one run', () => {
    const w = walkFor([2, 3, 4], [2, 3, 4], [2, 3, 4]);
    expect([w.runs, w.runLength, w.runStrides]).toEqual([1, 24, [1, 1, 1]]);
  });

  it('reads a scalar with stride 0 in a single run', () => {
    const w = walkFor([5, 6], [5, 6], []);
    expect([w.runs, w.runLength, w.runStrides]).toEqual([1, 30, [1, 1, 0]]);
  });

  it('turns a bias along the last axis into one contiguous run per row', () => {
    const w = walkFor([4, 3, 8], [4, 3, 8], [8]);
    expect([w.runs, w.runLength, w.runStrides]).toEqual([12, 8, [1, 1, 1]]);
    const rows = visit(w);
    expect(rows[9]).toEqual([9, 9, 1]);
  });

  it('visits the same offsets as naive index arithmetic for an irregular broadcast', () => {
    const out = [2, 3, 2];
    const w = walkFor(out, [2, 1, 2], [3, 1]);
    const expected: number[][] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) for (let k = 0; k < 2; k++) expected.push([i * 6 + j * 2 + k, i * 2 + k, j]);
    expect(visit(w)).toEqual(expected);
  });

  it('honours base offsets, rank 0 and size-0 shapes', () => {
    expect(visit(new StridedWalk([2], [[1], [3]], [5, 7]))).toEqual([
      [5, 7],
      [6, 10],
    ]);
    const scalar = new StridedWalk([], [[], []]);
    expect([scalar.runs, scalar.runLength]).toEqual([1, 1]);
    expect(new StridedWalk([3, 0, 2], [stridesOf([3, 0, 2])]).runs).toBe(0);
  });
});
