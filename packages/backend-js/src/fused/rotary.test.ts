import { describe, expect, it } from 'vitest';
import { rotary } from './rotary.js';

const dense = (values: number[], shape: number[]) => ({ data: Float32Array.from(values), shape });

describe('rotary', () => {
  it('rotates each (xᵢ, xᵢ₊h) pair by its angle', () => {
    // Dh = 4: pairs (x0, x2) at angle a, (x1, x3) at angle b; halves of the tables repeat.
    const a = Math.PI / 2;
    const b = Math.PI / 3;
    const cos = dense([Math.cos(a), Math.cos(b), Math.cos(a), Math.cos(b)], [1, 1, 1, 4]);
    const sin = dense([Math.sin(a), Math.sin(b), Math.sin(a), Math.sin(b)], [1, 1, 1, 4]);
    const y = rotary(dense([1, 2, 0, 0], [1, 1, 1, 4]), cos, sin);
    // (1, 0) turned by 90° is (0, 1); (2, 0) turned by 60° is (1, √3).
    const expected = [0, 1, 1, Math.sqrt(3)];
    y.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i] as number, 6);
    });
  });

  it('uses each sequence’s own table row, or one row for the whole batch', () => {
    const x = dense([1, 0, 1, 0], [2, 1, 1, 2]); // two sequences, one head, one position, Dh = 2
    const perSequence = rotary(x, dense([1, 1, 0, 0], [2, 1, 1, 2]), dense([0, 0, 1, 1], [2, 1, 1, 2]));
    expect(Array.from(perSequence)).toEqual([1, 0, 0, 1]); // angles 0 and 90°
    const shared = rotary(x, dense([0, 0], [1, 1, 1, 2]), dense([1, 1], [1, 1, 1, 2]));
    expect(Array.from(shared)).toEqual([0, 1, 0, 1]);
  });
});
