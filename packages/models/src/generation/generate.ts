import {
  InvalidArgumentError,
  type KeyValueCache,
  keep,
  noGrad,
  pad as padTensor,
  Random,
  replayable,
  reshape,
  slice,
  type Tensor,
  tensor,
  tidy,
} from '@rlhf/core';
import type { CausalLMOutput } from '../llama/llama-for-causal-lm.js';
import type { CausalLM } from '../pretrained/causal-lm.js';
import { type GenerateOptionsInput, generateOptionsOf } from './generate-option-names.js';
import { chooseToken, type SamplingOptions } from './sampling.js';
import { contextLength, validateGenerateOptions } from './validate-generate-options.js';

/** Options of {@link generate}. */
export interface GenerateOptions extends SamplingOptions {
  /** Tokens to generate at most per sequence. @defaultValue 20 */
  maxNewTokens?: number;
  /** Generation stops for a sequence once it emits one of these ids. */
  eosTokenId?: number | readonly number[];
  /** Id used for left padding of shorter prompts. @defaultValue 0 */
  padTokenId?: number;
  /** Seed of the sampling generator. @defaultValue 0 */
  seed?: number;
  /** Reuse keys/values of earlier positions (a KV cache); false recomputes the whole sequence each step. @defaultValue true */
  useCache?: boolean;
}

/** Generated ids per prompt (without the prompt; EOS included when emitted). */
export interface GenerateResult {
  /** Per prompt, in input order, the generated ids. */
  sequences: number[][];
}

/**
 * Continues each prompt (token ids, BOS included by the caller) with the model, batched with left
 * padding, forward-only (no tape). With a KV cache each step feeds one token per sequence; positions
 * count real tokens only, so a padded prompt gives the same continuation as alone. Options are checked
 * first (snake_case names such as `max_new_tokens` are accepted, an unknown option throws;
 * {@link validateGenerateOptions}: `maxNewTokens` is capped by the context length minus the
 * prompt length; without it, the default 20 is cut to the room left).
 *
 * @example
 * ```ts
 * const { sequences } = await generate(model, [[1, 403, 407]], { maxNewTokens: 50, temperature: 0 });
 * ```
 */
export async function generate(
  model: CausalLM,
  prompts: readonly (readonly number[])[],
  given: GenerateOptionsInput = {},
): Promise<GenerateResult> {
  const options = generateOptionsOf(given);
  if (prompts.length === 0 || prompts.some((p) => p.length === 0)) {
    throw new InvalidArgumentError(
      'generate',
      'prompts',
      prompts.length,
      'must be non-empty lists of token ids (include BOS)',
    );
  }
  const promptLen = Math.max(...prompts.map((p) => p.length));
  validateGenerateOptions(model, promptLen, options);
  const maxNew = Math.min(options.maxNewTokens ?? 20, contextLength(model) - promptLen);
  const eos = new Set(
    options.eosTokenId === undefined
      ? []
      : typeof options.eosTokenId === 'number'
        ? [options.eosTokenId]
        : options.eosTokenId,
  );
  const pad = options.padTokenId ?? 0;
  const useCache = options.useCache ?? true;
  const rng = new Random(options.seed ?? 0);
  const backend = model.backend;
  const b = prompts.length;
  // Host state: every row's ids and mask, left-padded to a common length.
  const rows = prompts.map((p) => [...new Array<number>(promptLen - p.length).fill(pad), ...p]);
  const masks = prompts.map((p) => [...new Array<number>(promptLen - p.length).fill(0), ...p.map(() => 1)]);
  const history = prompts.map((p) => [...p]);
  const real = prompts.map((p) => p.length); // real (unpadded) tokens per row
  const generated: number[][] = prompts.map(() => []);
  const done = prompts.map(() => false);
  let cache: KeyValueCache[] | null = null;
  // Where the backend can replay a captured computation (onnxruntime), the cache becomes a fixed-length
  // window after the prompt's step: every later step has the same shapes, and from the third on the
  // captured step is replayed without recording the model's kernels again.
  const capacity = useCache && backend.replay ? cacheCapacity(promptLen + maxNew) : 0;
  const decode = capacity > 0 ? replayable((inputs) => decodeStep(model, inputs)) : null;
  const wasTraining = model.training;
  model.eval();
  try {
    for (let step = 0; step < maxNew && done.some((d) => !d); step++) {
      const total = (rows[0] as number[]).length;
      const fresh: number = useCache && cache ? 1 : total; // positions fed this step
      const ids: number[] = rows.flatMap((r) => r.slice(total - fresh));
      // Position of each token: the count of real tokens before it (padding gets 0); an appended token is
      // real, so after the first step it is the row's count of real tokens minus one.
      const positions = fresh === total ? masks.flatMap((m) => positionsOf(m)) : real.map((n) => n - 1);
      const { last, next }: { last: Tensor; next: KeyValueCache[] | null } = tidy(() =>
        noGrad(() => {
          if (decode && cache) {
            const [logits, ...kv] = decode([
              tensor(backend, Int32Array.from(ids), [b, 1], 'int32'),
              tensor(backend, windowMasks(masks, capacity), [b, capacity], 'int32'),
              tensor(backend, Int32Array.from(positions), [b, 1], 'int32'),
              ...cache.flatMap((c) => [c.key, c.value]),
            ]);
            return { last: logits as Tensor, next: cachePairs(kv) };
          }
          const out: CausalLMOutput = model.forward(tensor(backend, Int32Array.from(ids), [b, fresh], 'int32'), {
            attentionMask: tensor(backend, Int32Array.from(masks.flat()), [b, total], 'int32'),
            positions,
            ...(useCache && cache ? { cache } : {}),
          });
          const v = out.logits.shape[2] as number;
          const lastLogits = reshape(slice(out.logits, [0, fresh - 1, 0], [b, 1, v]), [b, v]);
          if (!useCache) return { last: lastLogits, next: null };
          // After the prompt's step, the cache of `total` positions becomes a window of `capacity` (empty
          // slots first).
          const grow = (x: Tensor): Tensor =>
            capacity > 0
              ? padTensor(x, [
                  [0, 0],
                  [0, 0],
                  [capacity - total, 0],
                  [0, 0],
                ])
              : x;
          return {
            last: lastLogits,
            next: out.cache.map((c: KeyValueCache) => ({ key: grow(c.key), value: grow(c.value) })),
          };
        }),
      );
      if (cache) for (const c of cache) disposeCache(c);
      cache = next ? next.map((c) => ({ key: keep(c.key), value: keep(c.value) })) : null;
      const logits = (await last.data()) as Float32Array;
      last.dispose();
      const v = logits.length / b;
      for (let r = 0; r < b; r++) {
        let token = pad;
        if (!done[r]) {
          token = chooseToken(logits.subarray(r * v, (r + 1) * v), history[r] as number[], options, rng);
          (generated[r] as number[]).push(token);
          (history[r] as number[]).push(token);
          if (eos.has(token)) done[r] = true;
        }
        (rows[r] as number[]).push(token);
        (masks[r] as number[]).push(1);
        real[r] = (real[r] as number) + 1;
      }
    }
  } finally {
    decode?.release();
    if (cache) for (const c of cache) disposeCache(c);
    model.train(wasTraining);
  }
  return { sequences: generated };
}

/**
 * Length of the window cache for `positions` positions in all (every position fits, none is ever pushed
 * out): rounded up to a multiple of 64, so that generation calls of similar lengths share one compiled step.
 */
function cacheCapacity(positions: number): number {
  return Math.ceil(positions / 64) * 64;
}

/** The rows' attention masks (B, total) as masks of a window of C slots (B, C): 0 for the empty slots first. */
function windowMasks(masks: readonly (readonly number[])[], capacity: number): Int32Array {
  const out = new Int32Array(masks.length * capacity);
  masks.forEach((m, r) => {
    out.set(m, (r + 1) * capacity - m.length);
  });
  return out;
}

/**
 * One decoding step over a window cache, as a function of tensors only (so that it can be replayed):
 * inputs ids (B, 1), window mask (B, C), positions (B, 1) and every layer's keys and values (B, KV, C, Dh)
 * → the step's logits (B, V) and the shifted keys and values.
 */
function decodeStep(model: CausalLM, inputs: readonly Tensor[]): Tensor[] {
  const [ids, mask, positions, ...kv] = inputs as [Tensor, Tensor, Tensor, ...Tensor[]];
  const out: CausalLMOutput = model.forward(ids, {
    attentionMask: mask,
    positions,
    cache: cachePairs(kv).map((c) => ({ ...c, window: true })),
  });
  const [b, , v] = out.logits.shape as [number, number, number];
  return [reshape(out.logits, [b, v]), ...out.cache.flatMap((c) => [c.key, c.value])];
}

/** Keys and values listed per layer (k₀, v₀, k₁, v₁, ...) as cache entries. */
function cachePairs(kv: readonly Tensor[]): KeyValueCache[] {
  const pairs: KeyValueCache[] = [];
  for (let i = 0; i < kv.length; i += 2) pairs.push({ key: kv[i] as Tensor, value: kv[i + 1] as Tensor });
  return pairs;
}

/** Position of each token: the count of real tokens before it (padding gets 0). */
function positionsOf(mask: readonly number[]): number[] {
  let seen = 0;
  return mask.map((m) => (m ? seen++ : 0));
}

function disposeCache(c: KeyValueCache): void {
  c.key.dispose();
  c.value.dispose();
}
