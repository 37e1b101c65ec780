import { createJsBackend } from '@rlhf/backend-js';
import { describe, expect, it } from 'vitest';
import { causalMask, Random, randomNormal, rotaryTables, slice, type Tensor, tensor } from '../index.js';
import {
  attendWithCache,
  CausalSelfAttention,
  extendCache,
  MASKED_SCORE,
  scaledDotProductAttention,
  windowAttention,
} from './attention.js';

type Mat = Float32Array;

/** y = W x for W (out, in) row-major. */
function matVec(w: Mat, x: ArrayLike<number>, out: number, inp: number): number[] {
  const y = new Array<number>(out).fill(0);
  for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) y[o] += (w[o * inp + i] as number) * (x[i] as number);
  return y;
}

/** Hugging Face rotate-half rotary embedding of one head vector at position `pos`. */
function rope(v: number[], pos: number, theta: number): number[] {
  const d = v.length;
  const half = d / 2;
  const out = new Array<number>(d);
  for (let i = 0; i < half; i++) {
    const angle = pos * theta ** (-(2 * i) / d);
    const [c, s] = [Math.cos(angle), Math.sin(angle)];
    out[i] = (v[i] as number) * c - (v[i + half] as number) * s;
    out[i + half] = (v[i + half] as number) * c + (v[i] as number) * s;
  }
  return out;
}

/** Attention written as a plain loop over batch, position and head (the independent reference). */
async function naiveAttention(
  attn: CausalSelfAttention,
  x: Float32Array,
  b: number,
  t: number,
  d: number,
  theta: number,
) {
  const [wq, wk, wv, wo] = (await Promise.all(
    [attn.q_proj, attn.k_proj, attn.v_proj, attn.o_proj].map((l) => l.weight.data()),
  )) as Mat[];
  const { numHeads: h, numKeyValueHeads: kv, headDim: dh } = attn;
  const out = new Float32Array(b * t * d);
  for (let bi = 0; bi < b; bi++) {
    const proj = (w: Mat, n: number) =>
      Array.from({ length: t }, (_, ti) => matVec(w, x.subarray((bi * t + ti) * d, (bi * t + ti + 1) * d), n * dh, d));
    const q = proj(wq as Mat, h);
    const k = proj(wk as Mat, kv);
    const v = proj(wv as Mat, kv);
    for (let ti = 0; ti < t; ti++) {
      const merged: number[] = [];
      for (let hi = 0; hi < h; hi++) {
        const g = Math.floor(hi / (h / kv)); // the key/value head this query head reads
        const qh = rope((q[ti] as number[]).slice(hi * dh, (hi + 1) * dh), ti, theta);
        const scores: number[] = [];
        for (let s = 0; s <= ti; s++) {
          const kh = rope((k[s] as number[]).slice(g * dh, (g + 1) * dh), s, theta);
          scores.push(qh.reduce((acc, qv, i) => acc + qv * (kh[i] as number), 0) / Math.sqrt(dh));
        }
        const m = Math.max(...scores);
        const e = scores.map((z) => Math.exp(z - m));
        const z = e.reduce((a, c) => a + c, 0);
        const head = new Array<number>(dh).fill(0);
        e.forEach((w, s) => {
          for (let i = 0; i < dh; i++) head[i] += (w / z) * ((v[s] as number[])[g * dh + i] as number);
        });
        merged.push(...head);
      }
      out.set(matVec(wo as Mat, merged, d, h * dh), (bi * t + ti) * d);
    }
  }
  return out;
}

describe('CausalSelfAttention (rotary, grouped-query)', () => {
  const [b, t, d, theta] = [2, 5, 32, 10000];

  it.each([
    ['grouped-query (8 heads, 2 kv heads)', 8, 2],
    ['multi-head (4 heads)', 4, 4],
    ['multi-query (4 heads, 1 kv head)', 4, 1],
  ])('matches a naive per-head loop: %s', async (_name, heads, kvHeads) => {
    const backend = createJsBackend();
    const rng = new Random(7);
    const attn = new CausalSelfAttention(
      backend,
      { hiddenSize: d, numHeads: heads, numKeyValueHeads: kvHeads, initStd: 0.2 },
      rng,
    );
    const x = randomNormal(backend, [b, t, d], rng);
    const positions = Array.from({ length: b * t }, (_, i) => i % t);
    const tables = rotaryTables(backend, positions, b, t, d / heads, theta);
    const { output } = attn.forward(x, tables, causalMask(backend, t));
    const got = (await output.data()) as Float32Array;
    const want = await naiveAttention(attn, (await x.data()) as Float32Array, b, t, d, theta);
    let maxErr = 0;
    want.forEach((w, i) => {
      maxErr = Math.max(maxErr, Math.abs(w - (got[i] as number)));
    });
    expect(maxErr).toBeLessThan(1e-5);
    expect(Math.max(...Array.from(want, Math.abs))).toBeGreaterThan(0.1); // a non-trivial output
  });

  it('is causal: changing a later token leaves earlier outputs unchanged', async () => {
    const backend = createJsBackend();
    const rng = new Random(3);
    const attn = new CausalSelfAttention(
      backend,
      { hiddenSize: d, numHeads: 4, numKeyValueHeads: 2, initStd: 0.2 },
      rng,
    );
    const x = (await randomNormal(backend, [1, t, d], rng).data()) as Float32Array;
    const changed = Float32Array.from(x);
    for (let i = 3 * d; i < t * d; i++) changed[i] = (changed[i] as number) + 1; // positions 3 and 4 change
    const positions = Array.from({ length: t }, (_, i) => i);
    const run = async (input: Float32Array) => {
      const xt = tensor(backend, input, [1, t, d]);
      const { output } = attn.forward(xt, rotaryTables(backend, positions, 1, t, d / 4, theta), causalMask(backend, t));
      return output;
    };
    const before = await run(x);
    const after = await run(changed);
    const early = async (o: typeof before) => Array.from(await slice(o, [0, 0, 0], [1, 3, d]).data());
    expect(await early(after)).toEqual(await early(before));
    const late = async (o: typeof before) => Array.from(await slice(o, [0, 3, 0], [1, 2, d]).data());
    expect(await late(after)).not.toEqual(await late(before));
  });
});

describe('windowAttention (attention over a window cache without building the shifted window)', () => {
  const backend = createJsBackend();
  const rng = new Random(7);
  const [b, h, kv, c, dh] = [2, 4, 2, 6, 3];

  /** Random q (B, H, T, Dh), window cache (B, KV, C, Dh) and new keys/values (B, KV, T, Dh). */
  const inputs = (batch: number, heads: number, kvHeads: number, t: number) => ({
    q: randomNormal(backend, [batch, heads, t, dh], rng),
    cache: {
      key: randomNormal(backend, [batch, kvHeads, c, dh], rng),
      value: randomNormal(backend, [batch, kvHeads, c, dh], rng),
    },
    key: randomNormal(backend, [batch, kvHeads, t, dh], rng),
    value: randomNormal(backend, [batch, kvHeads, t, dh], rng),
  });
  /** windowAttention against attention over the shifted window (extendCache), value by value. */
  const expectAsShifted = async ({ q, cache, key, value }: ReturnType<typeof inputs>, mask: Tensor) => {
    const got = await windowAttention(q, { ...cache, window: true }, key, value, mask).data();
    const shifted = [extendCache(cache.key, key, true), extendCache(cache.value, value, true)] as const;
    const want = await scaledDotProductAttention(q, shifted[0], shifted[1], mask).data();
    expect(got.length).toBe(q.size);
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(want[i] as number, 5);
  };

  it.each([
    { t: 1, maskShape: 'padding (B, 1, 1, C)' },
    { t: 2, maskShape: 'per query (B, 1, T, C)' },
  ])('equals attention over the shifted window ($t new, $maskShape mask)', async ({ t }) => {
    // Row 0: the window's first two slots are padding; row 1: every slot real. With T = 2 the first
    // query may not see the last slot (causal).
    const m = new Float32Array(b * t * c);
    for (let r = 0; r < b; r++)
      for (let i = 0; i < t; i++)
        for (let s = 0; s < c; s++) {
          const padded = r === 0 && s < 2;
          const future = s > c - t + i;
          m[(r * t + i) * c + s] = padded || future ? MASKED_SCORE : 0;
        }
    await expectAsShifted(inputs(b, h, kv, t), tensor(backend, m, t === 1 ? [b, 1, 1, c] : [b, 1, t, c]));
  });

  it('gives a row whose every slot is masked the same (uniform) weights as before: the dropped slots get none', async () => {
    await expectAsShifted(inputs(1, 2, 1, 1), tensor(backend, new Float32Array(c).fill(MASKED_SCORE), [1, 1, 1, c]));
  });

  it('attendWithCache returns the shifted window as the next cache, and uses windowAttention for it', async () => {
    const { q, cache, key, value } = inputs(1, 2, 1, 1);
    const out = attendWithCache(q, key, value, null, { ...cache, window: true });
    expect(Array.from(await out.key.data())).toEqual(Array.from(await extendCache(cache.key, key, true).data()));
    expect(Array.from(await out.value.data())).toEqual(Array.from(await extendCache(cache.value, value, true).data()));
    const direct = await windowAttention(q, { ...cache, window: true }, key, value, null).data();
    expect(Array.from(await out.attended.data())).toEqual(Array.from(direct));
    expect(() =>
      windowAttention(q, { key: slice(cache.key, [0, 0, 0, 0], [1, 1, 0, dh]), value: cache.value }, key, value, null),
    ).toThrow(/slots/);
  });
});
