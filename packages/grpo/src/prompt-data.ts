import { TrainingDataError } from '@rlhf/core';
import type { Tokenizer } from '@rlhf/models';

/** A prompt record, as a JSONL file of `{"prompt": ...}` holds it. */
export interface PromptRecord {
  /** The prompt text. */
  prompt: string;
}

/** Prompts of an online run: strings, or {@link PromptRecord}s. */
export type PromptData = readonly (string | PromptRecord)[];

/** The prompts as texts and token ids (BOS first), cut to the prompt budget. */
export interface PreparedPrompts {
  /** The prompt texts, in order. */
  texts: string[];
  /** Their token ids, each at most `maxPromptLength` long. */
  ids: number[][];
  /** Prompts that were cut. */
  truncated: number;
}

/**
 * Checks and tokenises the prompts: each must be a non-empty string or a `{ prompt }` record with one
 * ({@link TrainingDataError} naming the index otherwise). A prompt longer than `maxPromptLength` tokens
 * keeps its first token (BOS) and its last tokens (TRL truncates prompts on the left).
 *
 * @example
 * ```ts
 * const { ids } = preparePrompts(['Once upon a time'], tokenizer, 512);
 * ```
 */
export function preparePrompts(data: PromptData, tokenizer: Tokenizer, maxPromptLength: number): PreparedPrompts {
  if (!Array.isArray(data) || data.length === 0)
    throw new TrainingDataError('prompts', null, null, 'must be a non-empty list of prompts');
  let truncated = 0;
  const texts = data.map((r, i) => {
    const text = typeof r === 'string' ? r : (r as { prompt?: unknown } | null)?.prompt;
    if (typeof text !== 'string' || text.length === 0)
      throw new TrainingDataError('prompts', i, typeof r === 'string' ? null : 'prompt', 'must be a non-empty string');
    return text;
  });
  const ids = texts.map((t) => {
    const all = tokenizer.encode(t);
    if (all.length <= maxPromptLength) return all;
    truncated++;
    return maxPromptLength === 1
      ? all.slice(0, 1)
      : [all[0] as number, ...all.slice(all.length - (maxPromptLength - 1))];
  });
  return { texts, ids, truncated };
}
