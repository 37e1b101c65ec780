import type { ChatMessage } from '@rlhf/models';
import { PreferenceDataError } from '../errors/preference-data-error.js';
import { fromHhRlhf, type HhRlhfRecord } from './hh-rlhf.js';
import { fromShareGptPreference, type ShareGptPreferenceRecord } from './sharegpt-preference.js';

/** A prompt or a response: plain text, or a conversation rendered with the tokenizer's chat template. */
export type PreferenceContent = string | readonly ChatMessage[];

/**
 * One preference pair in the specification's layout (TRL's too): the prompt, the preferred (`chosen`) and the
 * dispreferred (`rejected`) response. Message lists use the chat template (prompt rendered with the
 * generation prompt; each response is what the template adds for the assistant turn).
 *
 * @example
 * ```ts
 * const pair: PreferencePair = { prompt: 'câu hỏi', chosen: 'response tốt', rejected: 'response xấu' };
 * ```
 */
export interface PreferencePair {
  /** The prompt (câu hỏi hoặc context): text, or the conversation so far. */
  prompt: PreferenceContent;
  /** The preferred response (response tốt). */
  chosen: PreferenceContent;
  /** The dispreferred response (response xấu). */
  rejected: PreferenceContent;
}

/**
 * A pre-tokenised pair (TRL's column names): no tokenizer needed. Ids are used as given (add BOS to the
 * prompt and EOS to the responses yourself if the model expects them).
 *
 * @example
 * ```ts
 * const pair: TokenizedPreferencePair = { prompt_input_ids: [1, 403], chosen_input_ids: [407, 2], rejected_input_ids: [261, 2] };
 * ```
 */
export interface TokenizedPreferencePair {
  /** Prompt token ids (at least one: the first response token needs a token before it). */
  prompt_input_ids: readonly number[];
  /** Token ids of the preferred response. */
  chosen_input_ids: readonly number[];
  /** Token ids of the dispreferred response. */
  rejected_input_ids: readonly number[];
}

/**
 * Every record layout the trainer accepts: the specification's `{ prompt, chosen, rejected }`, pre-tokenised ids,
 * ShareGPT-style `{ conversations, chosen, rejected }` (LLaMA-Factory) and HH-RLHF transcripts
 * `{ chosen, rejected }` (no `prompt`).
 */
export type PreferenceRecordInput = PreferencePair | TokenizedPreferencePair | ShareGptPreferenceRecord | HhRlhfRecord;

/** A record after {@link toPreferencePair}: text/messages, or ids. */
export type NormalizedPreference = TextPreference | IdsPreference;

/** A text or conversational pair, after {@link toPreferencePair}. */
export interface TextPreference extends PreferencePair {
  /** Discriminant: text or messages, to be tokenised. */
  kind: 'text';
}

/** A pre-tokenised pair, after {@link toPreferencePair}. */
export interface IdsPreference extends TokenizedPreferencePair {
  /** Discriminant: token ids, used as they are. */
  kind: 'ids';
}

type Json = Record<string, unknown>;

/**
 * Recognises a record's layout and returns it as a pair, checking every field. Throws a
 * {@link PreferenceDataError} naming `index` for a record of unknown shape, a field of the wrong type, or
 * an empty response.
 *
 * @example
 * ```ts
 * toPreferencePair({ prompt: 'Hi', chosen: ' Hello!', rejected: ' Go away.' }, 0); // { kind: 'text', ... }
 * toPreferencePair({ chosen: '\n\nHuman: Hi\n\nAssistant: Hello', rejected: '\n\nHuman: Hi\n\nAssistant: No' }, 1);
 * // HH-RLHF: { kind: 'text', prompt: '\n\nHuman: Hi\n\nAssistant:', chosen: ' Hello', rejected: ' No' }
 * ```
 */
export function toPreferencePair(record: unknown, index: number): NormalizedPreference {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new PreferenceDataError(
      'PREFERENCE_RECORD_INVALID',
      index,
      null,
      `must be an object, got ${describe(record)}`,
    );
  }
  const r = record as Json;
  if ('prompt_input_ids' in r || 'chosen_input_ids' in r || 'rejected_input_ids' in r) return idsRecord(r, index);
  if ('conversations' in r) return { kind: 'text', ...checked(fromShareGptPreference(r as never, index), index) };
  if (!('chosen' in r) || !('rejected' in r)) {
    const missing = ['prompt', 'chosen', 'rejected'].filter((k) => !(k in r));
    throw new PreferenceDataError(
      'PREFERENCE_RECORD_INVALID',
      index,
      null,
      `is missing ${missing.map((k) => `'${k}'`).join(', ')} (expected { prompt, chosen, rejected }, pre-tokenised { prompt_input_ids, chosen_input_ids, rejected_input_ids }, ShareGPT { conversations, chosen, rejected } or HH-RLHF { chosen, rejected }; it has ${keysOf(r)})`,
    );
  }
  if (!('prompt' in r)) {
    if (typeof r.chosen === 'string' && typeof r.rejected === 'string') {
      return { kind: 'text', ...checked(fromHhRlhf(r as unknown as HhRlhfRecord, index), index) };
    }
    throw new PreferenceDataError(
      'PREFERENCE_RECORD_INVALID',
      index,
      'prompt',
      'is missing (only HH-RLHF transcripts, two strings, may omit it)',
    );
  }
  return {
    kind: 'text',
    ...checked({ prompt: r.prompt, chosen: r.chosen, rejected: r.rejected } as PreferencePair, index),
  };
}

/** Checks field types and non-empty responses of a text/messages pair. */
function checked(pair: PreferencePair, index: number): PreferencePair {
  for (const key of ['prompt', 'chosen', 'rejected'] as const) {
    const value = pair[key] as unknown;
    if (typeof value === 'string') continue;
    if (!Array.isArray(value)) {
      throw new PreferenceDataError(
        'PREFERENCE_RECORD_INVALID',
        index,
        key,
        `must be a string or a list of { role, content } messages, got ${describe(value)}`,
      );
    }
    value.forEach((m: unknown, i) => {
      const msg = m as Json;
      if (typeof m !== 'object' || m === null || typeof msg.role !== 'string' || typeof msg.content !== 'string') {
        throw new PreferenceDataError(
          'PREFERENCE_RECORD_INVALID',
          index,
          `${key}[${i}]`,
          'must be a { role, content } message with string fields',
        );
      }
    });
  }
  for (const key of ['chosen', 'rejected'] as const) {
    const value = pair[key];
    const text = typeof value === 'string' ? value : value.map((m) => m.content).join('');
    if (text.trim() === '') throw new PreferenceDataError('PREFERENCE_EMPTY_RESPONSE', index, key, 'is empty');
  }
  return pair;
}

function idsRecord(r: Json, index: number): NormalizedPreference {
  for (const key of ['prompt_input_ids', 'chosen_input_ids', 'rejected_input_ids'] as const) {
    const ids = r[key];
    if (!Array.isArray(ids) || ids.some((id) => !Number.isInteger(id) || id < 0)) {
      throw new PreferenceDataError(
        'PREFERENCE_RECORD_INVALID',
        index,
        key,
        `must be a list of non-negative integer token ids, got ${describe(ids)}`,
      );
    }
  }
  for (const key of ['chosen_input_ids', 'rejected_input_ids'] as const) {
    if ((r[key] as number[]).length === 0)
      throw new PreferenceDataError('PREFERENCE_EMPTY_RESPONSE', index, key, 'is empty');
  }
  return {
    kind: 'ids',
    prompt_input_ids: r.prompt_input_ids as number[],
    chosen_input_ids: r.chosen_input_ids as number[],
    rejected_input_ids: r.rejected_input_ids as number[],
  };
}

function keysOf(r: Json): string {
  const keys = Object.keys(r);
  return keys.length === 0 ? 'no keys' : `keys ${keys.map((k) => `'${k}'`).join(', ')}`;
}

/** A short description of a value for error messages. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
