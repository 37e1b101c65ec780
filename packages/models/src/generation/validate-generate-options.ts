import { InvalidArgumentError } from '@rlhf/core';
import type { CausalLM } from '../pretrained/causal-lm.js';
import type { GenerateOptions } from './generate.js';

/**
 * The context length of a model: `max_position_embeddings` (Llama family) or `n_positions` (GPT-2).
 *
 * @example
 * ```ts
 * contextLength(model); // 512 for stories260K
 * ```
 */
export function contextLength(model: CausalLM): number {
  const c = model.config as { max_position_embeddings?: number; n_positions?: number };
  return Number(c.max_position_embeddings ?? c.n_positions ?? Number.POSITIVE_INFINITY);
}

/**
 * Checks generation options before any token is generated, each with an {@link InvalidArgumentError}
 * naming the option: `maxNewTokens` a positive integer at most the context length minus the longest
 * prompt (`max_position_embeddings − prompt length`: positions past the context are not defined);
 * `temperature` finite and ≥ 0; `topK` an integer ≥ 0; `topP` in (0, 1]; `repetitionPenalty` finite and
 * > 0; `seed` an integer; `padTokenId` / `eosTokenId` integers ≥ 0.
 *
 * @example
 * ```ts
 * validateGenerateOptions(model, 5, { maxNewTokens: 1e9 }); // throws: maxNewTokens … at most 507
 * ```
 */
export function validateGenerateOptions(
  model: CausalLM,
  promptLength: number,
  o: GenerateOptions,
  op = 'generate',
): void {
  const bad = (key: string, value: unknown, expected: string) => {
    throw new InvalidArgumentError(op, key, value, expected);
  };
  const room = contextLength(model) - promptLength;
  if (o.maxNewTokens !== undefined) {
    if (!Number.isInteger(o.maxNewTokens) || o.maxNewTokens < 1)
      bad('maxNewTokens', o.maxNewTokens, 'must be a positive integer');
    if (o.maxNewTokens > room)
      bad(
        'maxNewTokens',
        o.maxNewTokens,
        `must be at most ${Math.max(0, room)}: the context length (max_position_embeddings ${contextLength(model)}) minus the prompt length ${promptLength}`,
      );
  } else if (room < 1)
    bad('prompts', promptLength, `leave no room to generate: the context length is ${contextLength(model)}`);
  const t = o.temperature;
  if (t !== undefined && (typeof t !== 'number' || !Number.isFinite(t) || t < 0))
    bad('temperature', t, 'must be a finite number ≥ 0 (0 is greedy)');
  const k = o.topK;
  if (k !== undefined && (!Number.isInteger(k) || k < 0)) bad('topK', k, 'must be an integer ≥ 0 (0 turns it off)');
  const p = o.topP;
  if (p !== undefined && (typeof p !== 'number' || !(p > 0 && p <= 1)))
    bad('topP', p, 'must be in (0, 1] (1 turns it off)');
  const r = o.repetitionPenalty;
  if (r !== undefined && (typeof r !== 'number' || !Number.isFinite(r) || r <= 0))
    bad('repetitionPenalty', r, 'must be a finite number > 0 (1 turns it off)');
  if (o.seed !== undefined && !Number.isInteger(o.seed)) bad('seed', o.seed, 'must be an integer');
  if (o.padTokenId !== undefined && (!Number.isInteger(o.padTokenId) || o.padTokenId < 0))
    bad('padTokenId', o.padTokenId, 'must be an integer ≥ 0');
  const eos = o.eosTokenId === undefined ? [] : typeof o.eosTokenId === 'number' ? [o.eosTokenId] : o.eosTokenId;
  for (const id of eos) if (!Number.isInteger(id) || id < 0) bad('eosTokenId', o.eosTokenId, 'must be integers ≥ 0');
}
