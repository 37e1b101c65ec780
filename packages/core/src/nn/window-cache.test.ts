import { createJsBackend } from '@rlhf/backend-js';
import { describe, expect, it } from 'vitest';
import {
  concat,
  pad,
  Random,
  randomNormal,
  replayable,
  rotaryTables,
  rotaryTablesAt,
  slice,
  tensor,
} from '../index.js';
import { CausalSelfAttention, extendCache, paddingMask } from './attention.js';

describe('fixed-length window caches', () => {
  it('extendCache shifts a window by the new positions and appends otherwise', async () => {
    const backend = createJsBackend();
    const cached = tensor(
      backend,
      Float32Array.from({ length: 8 }, (_, i) => i),
      [1, 1, 4, 2],
    );
    const fresh = tensor(backend, Float32Array.of(10, 11), [1, 1, 1, 2]);
    expect(Array.from(await extendCache(cached, fresh, true).data())).toEqual([2, 3, 4, 5, 6, 7, 10, 11]);
    expect(extendCache(cached, fresh).shape).toEqual([1, 1, 5, 2]);
    expect(() => extendCache(cached, tensor(backend, new Float32Array(10), [1, 1, 5, 2]), true)).toThrow(/slots/);
  });

  it('attention over a left-padded window equals attention over the plain cache', async () => {
    const backend = createJsBackend();
    const rng = new Random(2);
    const attn = new CausalSelfAttention(backend, { hiddenSize: 8, numHeads: 2, numKeyValueHeads: 1 }, rng);
    const past = 3;
    const key = randomNormal(backend, [1, 1, past, 4], rng);
    const value = randomNormal(backend, [1, 1, past, 4], rng);
    const x = randomNormal(backend, [1, 1, 8], rng);
    const rope = rotaryTables(backend, [past], 1, 1, 4, 10000);
    const plain = attn.forward(x, rope, null, { key, value });
    // A window of 6 slots: 2 empty ones first (masked), the 3 cached positions, and the new one shifted in.
    const grow = (t: typeof key) =>
      pad(t, [
        [0, 0],
        [0, 0],
        [3, 0],
        [0, 0],
      ]);
    const mask = paddingMask(tensor(backend, Int32Array.of(0, 0, 1, 1, 1, 1), [1, 6], 'int32'));
    const windowed = attn.forward(x, rope, mask, { key: grow(key), value: grow(value), window: true });
    const a = Array.from(await plain.output.data());
    const b = Array.from(await windowed.output.data());
    for (const [i, v] of b.entries()) expect(v).toBeCloseTo(a[i] as number, 6);
    expect(Array.from(await slice(windowed.key, [0, 0, 2, 0], [1, 1, 4, 4]).data())).toEqual(
      Array.from(await concat([key, slice(plain.key, [0, 0, past, 0], [1, 1, 1, 4])], 2).data()),
    );
  });

  it('rotaryTablesAt gathers the same tables rotaryTables builds', async () => {
    const backend = createJsBackend();
    const positions = [0, 5, 17, 2, 9, 31];
    const host = rotaryTables(backend, positions, 2, 3, 8, 10000);
    const at = rotaryTablesAt(tensor(backend, Int32Array.from(positions), [2, 3], 'int32'), 32, 8, 10000);
    expect(at.cos.shape).toEqual([2, 1, 3, 8]);
    expect(Array.from(await at.cos.data())).toEqual(Array.from(await host.cos.data()));
    expect(Array.from(await at.sin.data())).toEqual(Array.from(await host.sin.data()));
  });

  it('replayable calls the function every time on a backend without replay', async () => {
    const backend = createJsBackend();
    let calls = 0;
    const step = replayable(([x]) => {
      calls++;
      return [pad(x as ReturnType<typeof tensor>, [[1, 0]], 7)];
    });
    for (let i = 0; i < 4; i++) {
      const [y] = step([tensor(backend, Float32Array.of(i), [1])]);
      expect(Array.from(await (y as ReturnType<typeof tensor>).data())).toEqual([7, i]);
    }
    expect(calls).toBe(4);
    expect(step.replaying).toBe(false);
  });
});
