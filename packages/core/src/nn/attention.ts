import type { TensorBackend } from '../backend/backend-spec.js';
import { InvalidArgumentError } from '../errors/tensor-errors.js';
import { tensor } from '../ops/creation.js';
import { add, cast, mul, sub } from '../ops/elementwise.js';
import { matmul } from '../ops/matmul.js';
import { concat, permute, reshape, slice } from '../ops/movement.js';
import { softmax } from '../ops/softmax.js';
import type { Random } from '../random/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { applyRotary, type RotaryTables } from './rotary.js';

/** Additive value of masked-out attention scores (finite, so a fully masked row stays finite). */
export const MASKED_SCORE = -1e9;

/**
 * Additive causal mask (1, 1, T, S) for T queries at positions `past..past+T−1` over S = past + T keys:
 * 0 where key ≤ query position, `MASKED_SCORE` (−1e9) above.
 *
 * @example
 * ```ts
 * const mask = causalMask(backend, 4, 0); // (1, 1, 4, 4)
 * ```
 */
export function causalMask(backend: TensorBackend, seqLen: number, past = 0): Tensor {
  const keys = past + seqLen;
  const m = new Float32Array(seqLen * keys);
  for (let t = 0; t < seqLen; t++) for (let s = past + t + 1; s < keys; s++) m[t * keys + s] = MASKED_SCORE;
  return tensor(backend, m, [1, 1, seqLen, keys]);
}

/**
 * Additive padding mask (B, 1, 1, S) from an int32 attention mask (B, S) (1 = real token, 0 = padding).
 * A rank-4 mask (B, 1, T, S) says per query which keys it may see (1) — e.g. block-diagonal for packed
 * sequences — and gives an additive (B, 1, T, S).
 *
 * @example
 * ```ts
 * const mask = add(causalMask(backend, T), paddingMask(attentionMask));
 * ```
 */
export function paddingMask(attentionMask: Tensor): Tensor {
  const m = mul(sub(1, cast(attentionMask, 'float32')), MASKED_SCORE);
  if (attentionMask.rank === 4) return m; // (B, 1, T, S)
  const [b, s] = attentionMask.shape as [number, number];
  return reshape(m, [b, 1, 1, s]);
}

/**
 * Scaled dot-product attention (Vaswani et al. 2017, eq. 1) with grouped-query heads (Ainslie et al.
 * 2023): `softmax(q·kᵀ/√Dh + mask)·v`, query head h reading key/value head ⌊h / (H/KV)⌋ (as Hugging
 * Face's `repeat_kv`). Shapes: q (B, H, T, Dh), k and v (B, KV, S, Dh), mask broadcastable to
 * (B, H, T, S) → (B, H, T, Dh).
 *
 * @example
 * ```ts
 * const out = scaledDotProductAttention(q, k, v, causalMask(backend, T));
 * ```
 */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null): Tensor {
  const [b, h, t, dh] = q.shape as [number, number, number, number];
  const kv = k.shape[1] as number;
  const s = k.shape[2] as number;
  const { qg, rep } = groupQueries(q, kv);
  let scores = reshape(matmul(qg, k, false, true), [b, h, t, s]); // (B, H, T, S)
  if (mask) scores = add(scores, mask);
  const probs = reshape(softmax(scores), [b, kv, rep * t, s]);
  return reshape(matmul(probs, v), [b, h, t, dh]); // (B, KV, rep·T, Dh) → (B, H, T, Dh)
}

/**
 * The scaled queries grouped by the key/value head they share: (B, H, T, Dh) → (B, KV, rep·T, Dh) with
 * rep = H / KV, scaled by 1/√Dh (Vaswani et al. 2017, eq. 1).
 */
function groupQueries(q: Tensor, kv: number): { qg: Tensor; rep: number } {
  const [b, h, t, dh] = q.shape as [number, number, number, number];
  if (h % kv !== 0)
    throw new InvalidArgumentError(
      'attention',
      'heads',
      { h, kv },
      'query heads must be a multiple of key/value heads',
    );
  const rep = h / kv;
  return { qg: reshape(mul(q, 1 / Math.sqrt(dh)), [b, kv, rep * t, dh]), rep };
}

/** Options of {@link CausalSelfAttention}. */
export interface AttentionConfig {
  /** Model width D (input and output size). */
  hiddenSize: number;
  /** Number of query heads H. */
  numHeads: number;
  /** Key/value heads for grouped-query attention. @defaultValue numHeads */
  numKeyValueHeads?: number;
  /** @defaultValue hiddenSize / numHeads */
  headDim?: number;
  /** Biases on q/k/v projections (Qwen2). @defaultValue false */
  qkvBias?: boolean;
  /** Bias on the output projection. @defaultValue false */
  outputBias?: boolean;
  /** @defaultValue 0.02 */
  initStd?: number;
}

/**
 * Keys and values of earlier positions, (B, KV, P, Dh) each; or, with `window`, a fixed-length cache of the
 * last C positions (B, KV, C, Dh), oldest first, that each call shifts by its T new positions.
 */
export interface KeyValueCache {
  /** Rotated keys of the earlier positions, (B, KV, P, Dh) (or the last C, (B, KV, C, Dh), with `window`). */
  key: Tensor;
  /** Values of the earlier positions, (B, KV, P, Dh) (or the last C, (B, KV, C, Dh), with `window`). */
  value: Tensor;
  /**
   * A fixed-length cache: the call drops the oldest T positions and appends its T new ones, so the cache
   * keeps its length C; slots before the first real position are padding that the caller's attention
   * mask (B, C) marks 0. Every decoding step then has the same shapes, so a backend that compiles graphs
   * (onnxruntime) reuses one compiled step instead of one per cache length. Without it the new positions
   * are appended.
   */
  window?: boolean;
}

/**
 * The keys or values a call attends to: the new ones appended to the cached ones along the position
 * axis, or, for a fixed-length `window` cache, the cache without its oldest T positions followed by the T
 * new ones. Shapes: cached (B, KV, P, Dh), fresh (B, KV, T, Dh) → (B, KV, P + T, Dh), or (B, KV, C, Dh)
 * with `window` (T ≤ C).
 *
 * @example
 * ```ts
 * const keys = extendCache(cache.key, key, cache.window); // (B, KV, P + T, Dh) without a window
 * ```
 */
export function extendCache(cached: Tensor, fresh: Tensor, window = false): Tensor {
  if (!window) return concat([cached, fresh], 2);
  const [b, kv, c, dh] = cached.shape as [number, number, number, number];
  const t = fresh.shape[2] as number;
  if (t > c) throw new InvalidArgumentError('attention', 'cache.window', t, `more new positions than the ${c} slots`);
  return concat([slice(cached, [0, 0, t, 0], [b, kv, c - t, dh]), fresh], 2);
}

/**
 * Attention of T new positions over a window cache, without building the shifted window: the scores
 * against the whole old window (B, KV, rep·T, C) — its oldest T slots, which the shift drops, masked
 * with 2·{@link MASKED_SCORE} — and against the new keys (B, KV, rep·T, T) share one softmax over C + T
 * slots; the output is probs_old · V_old + probs_new · V_new. Equal to
 * `scaledDotProductAttention(q, extendCache(k, k_new, true), extendCache(v, v_new, true), mask)`: a
 * dropped slot's weight is exp(2·MASKED − max) = 0, also in a row whose every slot is masked. On a
 * backend that replays the step with the window shifted on the host (onnxruntime), the shifted window is
 * then never copied inside the step (4 copies of the window per layer and token before).
 * Shapes: q (B, H, T, Dh), cache (B, KV, C, Dh), key/value (B, KV, T, Dh), mask (…, C) → (B, H, T, Dh).
 *
 * @example
 * ```ts
 * const out = windowAttention(q, { key: k, value: v, window: true }, kNew, vNew, mask);
 * ```
 */
export function windowAttention(
  q: Tensor,
  cache: KeyValueCache,
  key: Tensor,
  value: Tensor,
  mask: Tensor | null,
): Tensor {
  const [b, h, t, dh] = q.shape as [number, number, number, number];
  const [, kv, c] = cache.key.shape as [number, number, number, number];
  if (t > c) throw new InvalidArgumentError('attention', 'cache.window', t, `more new positions than the ${c} slots`);
  const { qg, rep } = groupQueries(q, kv);
  const old = matmul(qg, cache.key, false, true); // (B, KV, rep·T, C)
  const fresh = matmul(qg, key, false, true); // (B, KV, rep·T, T)
  const scores = reshape(concat([old, fresh], 3), [b, h, t, c + t]); // (B, H, T, C + T)
  // Mask over [old slots 0..C−1, new 0..T−1]: the dropped slots 0..T−1, then the window's mask, whose
  // slot j is old slot j + T (j < C − T) or new position j − (C − T).
  const lead = mask ? mask.shape.slice(0, -1) : [1, 1, 1];
  const dropped = tensor(q.backend, new Float32Array(lead.reduce((n, d) => n * d, t)).fill(2 * MASKED_SCORE), [
    ...lead,
    t,
  ]);
  const extended = concat([dropped, mask ?? tensor(q.backend, new Float32Array(c), [1, 1, 1, c])], lead.length);
  const probs = reshape(softmax(add(scores, extended)), [b, kv, rep * t, c + t]);
  const out = add(
    matmul(slice(probs, [0, 0, 0, 0], [b, kv, rep * t, c]), cache.value),
    matmul(slice(probs, [0, 0, 0, c], [b, kv, rep * t, t]), value),
  ); // (B, KV, rep·T, Dh)
  return reshape(out, [b, h, t, dh]);
}

/** What {@link attendWithCache} returns. */
export interface CachedAttention {
  /** The attention output, (B, H, T, Dh). */
  attended: Tensor;
  /** The keys the next call's cache holds: the cache extended by the new ones (see {@link extendCache}). */
  key: Tensor;
  /** The values the next call's cache holds. */
  value: Tensor;
}

/**
 * The attention of new positions (q, key, value: B, n, T, Dh) over the cache, if any, and the keys and
 * values the next call's cache holds: the cache extended ({@link extendCache}); over a window cache the
 * output comes from {@link windowAttention}, which never builds the shifted window itself.
 *
 * @example
 * ```ts
 * const { attended, key, value } = attendWithCache(q, k, v, mask, cache); // attended (B, H, T, Dh)
 * ```
 */
export function attendWithCache(
  q: Tensor,
  key: Tensor,
  value: Tensor,
  mask: Tensor | null,
  cache?: KeyValueCache,
): CachedAttention {
  if (!cache) return { attended: scaledDotProductAttention(q, key, value, mask), key, value };
  const keys = extendCache(cache.key, key, cache.window);
  const values = extendCache(cache.value, value, cache.window);
  const windowed = cache.window === true && (mask === null || mask.shape.at(-1) === cache.key.shape[2]);
  const attended = windowed
    ? windowAttention(q, cache, key, value, mask)
    : scaledDotProductAttention(q, keys, values, mask);
  return { attended, key: keys, value: values };
}

/**
 * Multi-head causal self-attention with rotary embeddings and grouped-query attention, with Hugging
 * Face Llama's parameter names (`q_proj`, `k_proj`, `v_proj`, `o_proj`).
 * Shapes: x (B, T, D) → (B, T, D).
 *
 * @example
 * ```ts
 * const attn = new CausalSelfAttention(backend, { hiddenSize: 64, numHeads: 8, numKeyValueHeads: 4 }, rng);
 * const { output } = attn.forward(x, rotaryTables(...), causalMask(backend, T));
 * ```
 */
export class CausalSelfAttention extends Module {
  /** Query projection D → H·Dh. */
  readonly q_proj: Linear;
  /** Key projection D → KV·Dh. */
  readonly k_proj: Linear;
  /** Value projection D → KV·Dh. */
  readonly v_proj: Linear;
  /** Output projection H·Dh → D. */
  readonly o_proj: Linear;
  /** Number of query heads H. */
  readonly numHeads: number;
  /** Number of key/value heads KV (H for plain multi-head attention). */
  readonly numKeyValueHeads: number;
  /** Size of one head, Dh. */
  readonly headDim: number;

  /** Creates the attention layer's projections from `config` on `backend`, initialised from `rng`. */
  constructor(backend: TensorBackend, config: AttentionConfig, rng: Random) {
    super(backend);
    this.numHeads = config.numHeads;
    this.numKeyValueHeads = config.numKeyValueHeads ?? config.numHeads;
    this.headDim = config.headDim ?? config.hiddenSize / config.numHeads;
    const d = config.hiddenSize;
    const initStd = config.initStd ?? 0.02;
    const qkvBias = config.qkvBias ?? false;
    const lin = (i: number, o: number, bias: boolean) =>
      new Linear(backend, { inFeatures: i, outFeatures: o, bias, initStd }, rng);
    this.q_proj = this.registerModule('q_proj', lin(d, this.numHeads * this.headDim, qkvBias));
    this.k_proj = this.registerModule('k_proj', lin(d, this.numKeyValueHeads * this.headDim, qkvBias));
    this.v_proj = this.registerModule('v_proj', lin(d, this.numKeyValueHeads * this.headDim, qkvBias));
    this.o_proj = this.registerModule('o_proj', lin(this.numHeads * this.headDim, d, config.outputBias ?? false));
  }

  /**
   * Attends over the cached positions (if any) and the new ones. Returns the output and the full keys
   * and values (cache + new), which a caller may keep as the next step's cache.
   */
  forward(
    x: Tensor,
    rope: RotaryTables,
    mask: Tensor | null,
    cache?: KeyValueCache,
  ): {
    /** The attention output, (B, T, D). */
    output: Tensor;
  } & KeyValueCache {
    const [b, t] = x.shape as [number, number];
    const heads = (y: Tensor, n: number) => permute(reshape(y, [b, t, n, this.headDim]), [0, 2, 1, 3]); // (B, n, T, Dh)
    const q = applyRotary(heads(this.q_proj.forward(x), this.numHeads), rope);
    const fresh = applyRotary(heads(this.k_proj.forward(x), this.numKeyValueHeads), rope);
    const { attended, key, value } = attendWithCache(
      q,
      fresh,
      heads(this.v_proj.forward(x), this.numKeyValueHeads),
      mask,
      cache,
    ); // attended (B, H, T, Dh)
    const merged = reshape(permute(attended, [0, 2, 1, 3]), [b, t, this.numHeads * this.headDim]);
    return { output: this.o_proj.forward(merged), key, value };
  }
}
