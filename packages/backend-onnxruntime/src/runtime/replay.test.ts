import { add, matmul, mul, noGrad, replayable, type Tensor, tensor, tidy } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { createOnnxRuntimeBackend } from '../index.js';

const W = Float32Array.from({ length: 12 }, (_, i) => (i - 5) / 4);

/** y = x·W + 0.5, z = y ⊙ x₀ (the first column of x, broadcast): two outputs from two inputs. */
function affine(w: Tensor) {
  return ([x, scale]: readonly Tensor[]): Tensor[] => {
    const y = add(matmul(x as Tensor, w), 0.5);
    return [y, mul(y, scale as Tensor)];
  };
}

async function values(ts: readonly Tensor[]): Promise<number[][]> {
  return Promise.all(ts.map(async (t) => Array.from(await t.data())));
}

/** The affine step on a fresh backend, made replayable, with a count of the calls that reached it. */
function countedAffineStep() {
  const backend = createOnnxRuntimeBackend({ threads: 1 });
  const w = tensor(backend, W, [3, 4]);
  const direct = affine(w);
  let count = 0;
  const step = replayable((inputs) => {
    count++;
    return direct(inputs);
  });
  return { backend, w, direct, step, calls: () => count };
}

describe('replaying a captured step', () => {
  it('replays from the third call, without calling the function, with the values of a direct call', async () => {
    const { backend, w, direct, step, calls } = countedAffineStep();
    for (let i = 0; i < 5; i++) {
      const x = tensor(
        backend,
        Float32Array.from({ length: 6 }, (_, j) => j * (i + 1) - 2),
        [2, 3],
      );
      const s = tensor(backend, Float32Array.of(i - 1), [1]);
      const got = await values(tidy(() => noGrad(() => step([x, s]))));
      const expected = await values(tidy(() => direct([x, s])));
      expect(got).toEqual(expected);
      expect(calls()).toBe(Math.min(i + 1, 2));
      expect(step.replaying).toBe(i >= 1);
      x.dispose();
      s.dispose();
    }
    expect(backend.stats().replays).toBe(3);
    step.release();
    w.dispose();
  });

  it('never replays a function that reads a host value other than its inputs', async () => {
    const backend = createOnnxRuntimeBackend({ threads: 1 });
    const w = tensor(backend, W, [3, 4]);
    let calls = 0;
    const step = replayable(([x]) => {
      calls++;
      return [mul(matmul(x as Tensor, w), calls)]; // a constant that changes every call
    });
    const x = tensor(
      backend,
      Float32Array.from({ length: 6 }, (_, j) => j),
      [2, 3],
    );
    const outs: number[][] = [];
    for (let i = 0; i < 4; i++) outs.push(...(await values(step([x]))));
    expect(calls).toBe(4);
    expect(step.replaying).toBe(false);
    expect(backend.stats().replays).toBe(0);
    expect(outs[3]?.[0]).toBeCloseTo((outs[0]?.[0] as number) * 4, 5);
  });

  it('calls the function again for inputs of other shapes, and refuses a replay whose weight was disposed', async () => {
    const { backend, w, step, calls } = countedAffineStep();
    const s = tensor(backend, Float32Array.of(2), [1]);
    for (let i = 0; i < 3; i++) await values(step([tensor(backend, new Float32Array(6).fill(i), [2, 3]), s]));
    expect(step.replaying).toBe(true);
    const wide = tensor(backend, new Float32Array(12).fill(1), [4, 3]);
    const [y] = step([wide, s]);
    expect(calls()).toBe(3);
    expect(Array.from(await (y as Tensor).data()).slice(0, 4)).toEqual([-0.25, 0.5, 1.25, 2]); // column sums of W, + 0.5;
    w.dispose();
    expect(() => step([tensor(backend, new Float32Array(6), [2, 3]), s])).toThrow(/disposed/);
  });
});
