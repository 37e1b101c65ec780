import { InvalidArgumentError } from '@rlhf/core';
import type { GenerateOptions } from './generate.js';

/**
 * The snake_case spelling (Hugging Face `GenerationConfig`'s, and the pipeline config's) of each
 * generation option, snake_case → the camelCase key of {@link GenerateOptions}.
 *
 * @example
 * ```ts
 * GENERATE_OPTION_SNAKE_CASE.max_new_tokens; // 'maxNewTokens'
 * ```
 */
export const GENERATE_OPTION_SNAKE_CASE = {
  /** Tokens to generate at most. */
  max_new_tokens: 'maxNewTokens',
  /** Keep the k likeliest tokens. */
  top_k: 'topK',
  /** Nucleus sampling threshold. */
  top_p: 'topP',
  /** CTRL repetition penalty. */
  repetition_penalty: 'repetitionPenalty',
  /** Stop ids. */
  eos_token_id: 'eosTokenId',
  /** Left-padding id. */
  pad_token_id: 'padTokenId',
  /** Reuse keys and values (KV cache). */
  use_cache: 'useCache',
} as const satisfies Record<string, keyof GenerateOptions>;

/** Generation options in either spelling: {@link GenerateOptions} and their snake_case names. */
export type GenerateOptionsInput = GenerateOptions & {
  -readonly [K in keyof typeof GENERATE_OPTION_SNAKE_CASE]?: GenerateOptions[(typeof GENERATE_OPTION_SNAKE_CASE)[K]];
};

const KNOWN: ReadonlySet<string> = new Set<keyof GenerateOptions>([
  'maxNewTokens',
  'eosTokenId',
  'padTokenId',
  'seed',
  'useCache',
  'temperature',
  'topK',
  'topP',
  'repetitionPenalty',
]);

/**
 * Generation options with snake_case names rewritten to camelCase. An unknown option, or one option given
 * in both spellings, is an {@link InvalidArgumentError} naming it (an unknown option is never ignored).
 *
 * @example
 * ```ts
 * generateOptionsOf({ max_new_tokens: 5, temperature: 0 }); // { maxNewTokens: 5, temperature: 0 }
 * generateOptionsOf({ maxTokens: 5 }); // throws: unknown generation option 'maxTokens'
 * ```
 */
export function generateOptionsOf(options: GenerateOptionsInput, op = 'generate'): GenerateOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new InvalidArgumentError(op, 'options', options, 'must be an options object');
  const out: Record<string, unknown> = {};
  const given: Record<string, string> = {};
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const key: string = Object.hasOwn(GENERATE_OPTION_SNAKE_CASE, name)
      ? GENERATE_OPTION_SNAKE_CASE[name as keyof typeof GENERATE_OPTION_SNAKE_CASE]
      : name;
    if (!KNOWN.has(key))
      throw new InvalidArgumentError(
        op,
        name,
        value,
        `is not a generation option (known: ${[...KNOWN, ...Object.keys(GENERATE_OPTION_SNAKE_CASE)].join(', ')})`,
      );
    if (Object.hasOwn(given, key))
      throw new InvalidArgumentError(op, name, value, `is given twice, also as '${given[key]}'; give one spelling`);
    given[key] = name;
    out[key] = value;
  }
  return out as GenerateOptions;
}
