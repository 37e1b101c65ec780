import { cast, noGrad, reshape, slice, type Tensor, tensor, tidy, tokenLogProbs } from '@rlhf/core';
import { type CausalLM, generate } from '@rlhf/models';

/** One sampled completion with what the loss needs. */
export interface Completion {
  /** Index of its prompt in the run's prompt list. */
  promptIndex: number;
  /** The prompt's token ids (BOS first). */
  prompt: number[];
  /** The completion's token ids (EOS included when emitted). */
  ids: number[];
  /** Decoded text (special tokens skipped). */
  text: string;
  /** Ended without EOS within the budget. */
  truncated: boolean;
}

/** Settings of one generation round. */
export interface RolloutSettings {
  /** Completions per prompt (G). */
  numGenerations: number;
  /** Most new tokens. */
  maxNewTokens: number;
  /** Sampling temperature. */
  temperature: number;
  /** Nucleus mass (1 = off). */
  topP: number;
  /** Top-k (0 = off). */
  topK: number;
  /** Seed of this round's sampling generator. */
  seed: number;
  /** End-of-sequence id(s); none: completions run to `maxNewTokens`. */
  eosTokenId: number | undefined;
  /** Id used to pad shorter prompts on the left. */
  padTokenId: number;
}

/**
 * Samples G completions of every prompt in one batched, left-padded, KV-cached generation (`generate` of
 * `@rlhf/models`, forward only): prompt p's completions are rows p·G … p·G + G − 1. Returns them in that
 * order with their decoded texts.
 *
 * @example
 * ```ts
 * const completions = await sampleCompletions(model, [[1, 403]], [0], decode, settings); // G of them
 * ```
 */
export async function sampleCompletions(
  model: CausalLM,
  prompts: readonly number[][],
  promptIndices: readonly number[],
  decode: (ids: number[]) => string,
  s: RolloutSettings,
): Promise<Completion[]> {
  const rows = prompts.flatMap((p) => Array.from({ length: s.numGenerations }, () => p));
  const { sequences } = await generate(model, rows, {
    maxNewTokens: s.maxNewTokens,
    temperature: s.temperature,
    topP: s.topP,
    topK: s.topK,
    seed: s.seed,
    padTokenId: s.padTokenId,
    ...(s.eosTokenId === undefined ? {} : { eosTokenId: s.eosTokenId }),
  });
  return sequences.map((ids, r) => {
    const p = Math.floor(r / s.numGenerations);
    const ended = s.eosTokenId !== undefined && ids[ids.length - 1] === s.eosTokenId;
    return {
      promptIndex: promptIndices[p] as number,
      prompt: prompts[p] as number[],
      ids,
      text: decode(ids),
      truncated: !ended,
    };
  });
}

/** A micro-batch of completions laid out for scoring: prompts left-padded, completions right-padded. */
export interface CompletionBatch {
  /** int32 (N, P + T): left-padded prompt, then completion, then padding. */
  inputIds: Tensor;
  /** int32 (N, P + T): 1 for real tokens. */
  attentionMask: Tensor;
  /** Rotary positions (N·(P + T)): the count of real tokens before each. */
  positions: number[];
  /** int32 (N, T): the completion tokens, −100 where padded. */
  labels: Tensor;
  /** Host rows of the completion mask (N lists of T 0/1). */
  maskRows: number[][];
  /** Common prompt width P. */
  promptWidth: number;
  /** Common completion width T. */
  completionWidth: number;
}

/**
 * Lays out N completions so that one forward pass scores every completion token: prompts left-padded to P,
 * completions right-padded to T (the longest), an attention mask over real tokens and positions counting
 * real tokens, so each row is scored as it would be alone. Completion token t of row i is predicted by the
 * logits at position P − 1 + t.
 *
 * @example
 * ```ts
 * const batch = collateCompletions(backend, completions, 0);
 * batch.labels.shape; // [N, T]
 * ```
 */
export function collateCompletions(
  backend: CausalLM['backend'],
  items: readonly Pick<Completion, 'prompt' | 'ids'>[],
  padId: number,
): CompletionBatch {
  const p = Math.max(...items.map((c) => c.prompt.length));
  const t = Math.max(1, ...items.map((c) => c.ids.length));
  const ids: number[] = [];
  const attn: number[] = [];
  const positions: number[] = [];
  const labels: number[] = [];
  const maskRows: number[][] = [];
  for (const c of items) {
    const padL = p - c.prompt.length;
    const padR = t - c.ids.length;
    const row = [...new Array<number>(padL).fill(padId), ...c.prompt, ...c.ids, ...new Array<number>(padR).fill(padId)];
    const m = [
      ...new Array<number>(padL).fill(0),
      ...c.prompt.map(() => 1),
      ...c.ids.map(() => 1),
      ...new Array<number>(padR).fill(0),
    ];
    let seen = 0;
    for (const x of m) positions.push(x ? seen++ : 0);
    ids.push(...row);
    attn.push(...m);
    labels.push(...c.ids, ...new Array<number>(padR).fill(-100));
    maskRows.push([...c.ids.map(() => 1), ...new Array<number>(padR).fill(0)]);
  }
  const n = items.length;
  return {
    inputIds: tensor(backend, Int32Array.from(ids), [n, p + t], 'int32'),
    attentionMask: tensor(backend, Int32Array.from(attn), [n, p + t], 'int32'),
    positions,
    labels: tensor(backend, Int32Array.from(labels), [n, t], 'int32'),
    maskRows,
    promptWidth: p,
    completionWidth: t,
  };
}

/** Per-token log-probabilities of the completions and the logits they came from. */
export interface CompletionScores {
  /** log π(o_t | q, o_<t), (N, T); 0 at padding. */
  logps: Tensor;
  /** The logits predicting each completion token, (N, T, V). */
  logits: Tensor;
}

/**
 * Per-token log-probabilities of each completion under `model`: one forward pass of the (N, P + T) batch,
 * the logits at positions P − 1 … P + T − 2 (which predict completion tokens 0 … T − 1), then
 * log softmax at the label (`tokenLogProbs`). On the tape unless called under `noGrad`.
 * (N, P + T) → logits (N, T, V), logps (N, T).
 *
 * @example
 * ```ts
 * const { logps } = completionLogProbs(model, batch); // (N, T)
 * ```
 */
export function completionLogProbs(model: CausalLM, batch: CompletionBatch): CompletionScores {
  const out = model.forward(batch.inputIds, { attentionMask: batch.attentionMask, positions: batch.positions });
  const [n, , v] = out.logits.shape as [number, number, number];
  const logits = slice(out.logits, [0, batch.promptWidth - 1, 0], [n, batch.completionWidth, v]); // (N, T, V)
  return { logps: tokenLogProbs(logits, batch.labels), logits };
}

/**
 * Forward-only per-token log-probabilities (old policy, reference), evaluation mode, as host rows.
 * `around` wraps the recording of the forward pass (synchronous): LoRA's `withAdaptersDisabled` scores the
 * base model.
 *
 * @example
 * ```ts
 * const old = await frozenLogProbs(model, batch); // (N·T)
 * const ref = await frozenLogProbs(model, batch, (f) => lora.withAdaptersDisabled(f));
 * ```
 */
export async function frozenLogProbs(
  model: CausalLM,
  batch: CompletionBatch,
  around: (record: () => Tensor) => Tensor = (record) => record(),
): Promise<Float32Array> {
  const was = model.training;
  model.eval();
  try {
    const t = around(() => tidy(() => noGrad(() => completionLogProbs(model, batch).logps)));
    const data = (await t.data()) as Float32Array;
    t.dispose();
    return Float32Array.from(data);
  } finally {
    model.train(was);
  }
}

/**
 * The (N, T) float32 completion mask of a batch.
 *
 * @example
 * ```ts
 * const mask = maskTensor(backend, batch); // (N, T)
 * ```
 */
export function maskTensor(backend: CausalLM['backend'], batch: CompletionBatch): Tensor {
  return cast(
    tensor(backend, Int32Array.from(batch.maskRows.flat()), [batch.maskRows.length, batch.completionWidth], 'int32'),
    'float32',
  );
}

/**
 * An (N, T) tensor from a flat host array (row-major).
 *
 * @example
 * ```ts
 * const old = rowsOf(backend, oldLogps, n, t); // (N, T)
 * ```
 */
export function rowsOf(backend: CausalLM['backend'], data: Float32Array, n: number, t: number): Tensor {
  return reshape(tensor(backend, data, [n * t]), [n, t]);
}
