import { describe, expect, it } from 'vitest';
import { readData } from '../__fixtures__/data.js';
import { seededRandom } from '../safetensors/__fixtures__/raw-safetensors.js';
import { permuteRotaryToHf } from './permute-rotary.js';
import { readLlama2cCheckpoint } from './read-checkpoint.js';

/** y = W x for a row-major (rows, cols) W. */
function matvec(w: Float32Array, rows: number, cols: number, x: Float64Array): Float64Array {
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += (w[r * cols + c] as number) * (x[c] as number);
    y[r] = sum;
  }
  return y;
}

/** llama2.c run.c RoPE: rotate pairs (i, i+1) with frequency 10000^(-(i % headSize)/headSize). */
function ropeInterleaved(v: Float64Array, headSize: number, pos: number): Float64Array {
  const out = v.slice();
  for (let i = 0; i < v.length; i += 2) {
    const angle = pos / 10000 ** ((i % headSize) / headSize);
    const [a, b] = [v[i] as number, v[i + 1] as number];
    out[i] = a * Math.cos(angle) - b * Math.sin(angle);
    out[i + 1] = a * Math.sin(angle) + b * Math.cos(angle);
  }
  return out;
}

/** Hugging Face apply_rotary_pos_emb: x·cos + rotate_half(x)·sin per head, inv_freq_j = 10000^(-2j/headSize). */
function ropeRotateHalf(v: Float64Array, headSize: number, pos: number): Float64Array {
  const out = new Float64Array(v.length);
  const half = headSize / 2;
  for (let h = 0; h < v.length; h += headSize) {
    for (let j = 0; j < headSize; j++) {
      const angle = pos / 10000 ** ((2 * (j % half)) / headSize);
      const rotated = j < half ? -(v[h + j + half] as number) : (v[h + j - half] as number);
      out[h + j] = (v[h + j] as number) * Math.cos(angle) + rotated * Math.sin(angle);
    }
  }
  return out;
}

function attentionScores(
  q: Float64Array,
  k: Float64Array,
  nHeads: number,
  nKvHeads: number,
  headSize: number,
): number[] {
  const scores: number[] = [];
  for (let h = 0; h < nHeads; h++) {
    const kv = Math.floor(h / (nHeads / nKvHeads));
    let dot = 0;
    for (let d = 0; d < headSize; d++) dot += (q[h * headSize + d] as number) * (k[kv * headSize + d] as number);
    scores.push(dot);
  }
  return scores;
}

describe('permuteRotaryToHf', () => {
  it('moves row 2i+j of each head to row j·half+i (view → transpose(1, 2) → reshape)', () => {
    const rows = (n: number) => Float32Array.from({ length: n }, (_, i) => i);
    expect([...permuteRotaryToHf(rows(4), 1, 4, 1)]).toEqual([0, 2, 1, 3]);
    expect([...permuteRotaryToHf(rows(8), 1, 8, 1)]).toEqual([0, 2, 4, 6, 1, 3, 5, 7]);
    expect([...permuteRotaryToHf(rows(8), 2, 8, 1)]).toEqual([0, 2, 1, 3, 4, 6, 5, 7]);
    // whole rows move: (4, 2)
    expect([...permuteRotaryToHf(rows(8), 1, 4, 2)]).toEqual([0, 1, 4, 5, 2, 3, 6, 7]);
  });

  it("gives the same attention scores under HF's rotate-half RoPE as the original weights under llama2.c's RoPE", () => {
    const { config: c, weights } = readLlama2cCheckpoint(readData('models/stories260K/stories260K.bin'));
    const headSize = c.dim / c.nHeads;
    const kvDim = headSize * c.nKvHeads;
    const wq = weights.wq.slice(0, c.dim * c.dim); // layer 0
    const wk = weights.wk.slice(0, kvDim * c.dim);
    const wqHf = permuteRotaryToHf(wq, c.nHeads, c.dim, c.dim);
    const wkHf = permuteRotaryToHf(wk, c.nKvHeads, kvDim, c.dim);
    const random = seededRandom(3);
    for (const [posQ, posK] of [
      [0, 0],
      [5, 2],
      [100, 37],
      [511, 511],
    ] as const) {
      const x = Float64Array.from({ length: c.dim }, () => random() * 2 - 1);
      const y = Float64Array.from({ length: c.dim }, () => random() * 2 - 1);
      const ours = attentionScores(
        ropeRotateHalf(matvec(wqHf, c.dim, c.dim, x), headSize, posQ),
        ropeRotateHalf(matvec(wkHf, kvDim, c.dim, y), headSize, posK),
        c.nHeads,
        c.nKvHeads,
        headSize,
      );
      const theirs = attentionScores(
        ropeInterleaved(matvec(wq, c.dim, c.dim, x), headSize, posQ),
        ropeInterleaved(matvec(wk, kvDim, c.dim, y), headSize, posK),
        c.nHeads,
        c.nKvHeads,
        headSize,
      );
      for (const [i, score] of ours.entries()) expect(score).toBeCloseTo(theirs[i] as number, 10);
      // and without the permutation they would not match
      const unpermuted = attentionScores(
        ropeRotateHalf(matvec(wq, c.dim, c.dim, x), headSize, posQ),
        ropeRotateHalf(matvec(wk, kvDim, c.dim, y), headSize, posK),
        c.nHeads,
        c.nKvHeads,
        headSize,
      );
      if (posQ !== posK) expect(unpermuted.some((s, i) => Math.abs(s - (theirs[i] as number)) > 1e-3)).toBe(true);
    }
  });

  it('rejects a shape that cannot be split into heads of even size', () => {
    expect(() => permuteRotaryToHf(new Float32Array(6), 1, 3, 2)).toThrow(/cannot be \(3, 2\) split into 1 heads/);
  });
});
