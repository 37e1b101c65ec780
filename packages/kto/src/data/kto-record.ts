import { type PreferenceContent, PreferenceDataError, type PreferenceDataErrorKind, toPreferencePair } from '@rlhf/dpo';
import { KtoDataError, type KtoDataErrorKind } from '../errors/kto-data-error.js';

/**
 * One unpaired KTO example in TRL's layout: a prompt, a completion and whether the completion is desirable
 * (`label: true`, a thumbs-up) or undesirable (`false`, a thumbs-down). Prompt and completion are text, or
 * lists of `{ role, content }` messages (rendered with the chat template, as DPO's records are).
 *
 * @example
 * ```ts
 * const good: KtoExample = { prompt: 'Tom had a red ball.', completion: ' He played all day.', label: true };
 * ```
 */
export interface KtoExample {
  /** The prompt: text, or the conversation so far. */
  prompt: PreferenceContent;
  /** The completion that was rated. */
  completion: PreferenceContent;
  /** `true`: desirable; `false`: undesirable. */
  label: boolean;
}

/**
 * A pre-tokenised KTO example: no tokenizer needed. Ids are used as given (add BOS to the prompt and EOS to the
 * completion yourself if the model expects them).
 *
 * @example
 * ```ts
 * const ex: TokenizedKtoExample = { prompt_input_ids: [1, 403], completion_input_ids: [407, 2], label: false };
 * ```
 */
export interface TokenizedKtoExample {
  /** Prompt token ids (at least one). */
  prompt_input_ids: readonly number[];
  /** Completion token ids (at least one). */
  completion_input_ids: readonly number[];
  /** `true`: desirable; `false`: undesirable. */
  label: boolean;
}

/** Every record layout `KTOTrainer` accepts. */
export type KtoRecordInput = KtoExample | TokenizedKtoExample;

/** A record after {@link toKtoExample}: text/messages, or ids, with its label. */
export type NormalizedKtoExample = TextKtoExample | IdsKtoExample;

/** A text or conversational example, after {@link toKtoExample}. */
export interface TextKtoExample extends KtoExample {
  /** Discriminant: text or messages, to be tokenised. */
  kind: 'text';
}

/** A pre-tokenised example, after {@link toKtoExample}. */
export interface IdsKtoExample extends TokenizedKtoExample {
  /** Discriminant: token ids, used as they are. */
  kind: 'ids';
}

type Json = Record<string, unknown>;

/**
 * Recognises and checks one KTO record. Throws a {@link KtoDataError} naming `index` and the key for: a
 * non-object, a preference pair (convert it with `unpairPreferenceData`), a missing `prompt` / `completion`,
 * a missing or non-boolean `label`, a field of the wrong type, or an empty completion.
 *
 * @example
 * ```ts
 * toKtoExample({ prompt: 'Hi', completion: ' Hello!', label: true }, 0); // { kind: 'text', ... }
 * toKtoExample({ prompt: 'Hi', completion: ' Hello!', label: 'yes' }, 1); // throws: kto_data[1].label must be a boolean …
 * ```
 */
export function toKtoExample(record: unknown, index: number): NormalizedKtoExample {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new KtoDataError('KTO_RECORD_INVALID', index, null, `must be an object, got ${describe(record)}`);
  }
  const r = record as Json;
  const ids = 'prompt_input_ids' in r || 'completion_input_ids' in r;
  if (!ids && !('completion' in r) && 'chosen' in r && 'rejected' in r) {
    throw new KtoDataError(
      'KTO_RECORD_INVALID',
      index,
      null,
      'is a preference pair ({ prompt, chosen, rejected }); KTO takes { prompt, completion, label } records: convert pairs with unpairPreferenceData (rlhf kto converts a paired file itself)',
    );
  }
  const keys = ids ? (['prompt_input_ids', 'completion_input_ids'] as const) : (['prompt', 'completion'] as const);
  const missing = keys.filter((k) => !(k in r));
  if (missing.length > 0) {
    throw new KtoDataError(
      'KTO_RECORD_INVALID',
      index,
      null,
      `is missing ${missing.map((k) => `'${k}'`).join(', ')} (expected { prompt, completion, label } or pre-tokenised { prompt_input_ids, completion_input_ids, label }; it has ${keysOf(r)})`,
    );
  }
  if (!('label' in r)) {
    throw new KtoDataError(
      'KTO_LABEL_INVALID',
      index,
      'label',
      'is missing (true = desirable completion, false = undesirable)',
    );
  }
  if (typeof r.label !== 'boolean') {
    throw new KtoDataError(
      'KTO_LABEL_INVALID',
      index,
      'label',
      `must be a boolean (true = desirable, false = undesirable), got ${describe(r.label)}`,
    );
  }
  const label = r.label;
  // The content checks are DPO's (strings or { role, content } lists, non-empty response), with the
  // completion in the place of both responses.
  const pair = ids
    ? {
        prompt_input_ids: r.prompt_input_ids,
        chosen_input_ids: r.completion_input_ids,
        rejected_input_ids: r.completion_input_ids,
      }
    : { prompt: r.prompt, chosen: r.completion, rejected: r.completion };
  try {
    const checked = toPreferencePair(pair, index);
    return checked.kind === 'ids'
      ? {
          kind: 'ids',
          prompt_input_ids: checked.prompt_input_ids,
          completion_input_ids: checked.chosen_input_ids,
          label,
        }
      : { kind: 'text', prompt: checked.prompt, completion: checked.chosen, label };
  } catch (error) {
    throw asKtoError(error);
  }
}

const KINDS: Record<PreferenceDataErrorKind, KtoDataErrorKind> = {
  PREFERENCE_RECORD_INVALID: 'KTO_RECORD_INVALID',
  PREFERENCE_EMPTY_RESPONSE: 'KTO_EMPTY_COMPLETION',
  PREFERENCE_DATA_EMPTY: 'KTO_DATA_EMPTY',
  PREFERENCE_NO_TOKENIZER: 'KTO_NO_TOKENIZER',
  PREFERENCE_NO_CHAT_TEMPLATE: 'KTO_NO_CHAT_TEMPLATE',
  PREFERENCE_TOKENIZER_MISMATCH: 'KTO_TOKENIZER_MISMATCH',
};

/**
 * A {@link PreferenceDataError} raised by DPO's record and tokenisation code on a KTO example (whose completion
 * stands in both response places) as the {@link KtoDataError} it is: `chosen` / `rejected` read `completion`.
 * Other errors are returned as they are.
 *
 * @example
 * ```ts
 * try { tokenizePreferencePair(pair, tok, options, i); } catch (e) { throw asKtoError(e); }
 * ```
 */
export function asKtoError(error: unknown): unknown {
  if (!PreferenceDataError.isInstance(error)) return error;
  const key = error.key?.replace(/^(chosen|rejected)/, 'completion') ?? null;
  const reason = error.reason.replace('chosen_input_ids / rejected_input_ids', 'completion_input_ids');
  return new KtoDataError(KINDS[error.kind], error.index, key, reason);
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
