import { TrainingDataError } from '@rlhf/core';
import type { ChatMessage } from '@rlhf/models';

/** Plain text: every token is a target. */
export interface TextRecord {
  /** The text (văn bản). */
  text: string;
}

/** Prompt and completion (strings, or message lists for conversational data): loss on the completion only by default. */
export interface PromptCompletionRecord {
  /** The prompt: no loss on it by default. */
  prompt: string | ChatMessage[];
  /** The completion the model learns to produce. */
  completion: string | ChatMessage[];
}

/** A conversation rendered with the tokenizer's chat template: loss on assistant turns only by default. */
export interface ConversationRecord {
  /** The turns, `{ role, content }`, in order. */
  messages: ChatMessage[];
}

/** Already tokenised: `labels` (aligned with `input_ids`, −100 = no loss, as in Hugging Face) default to `input_ids`. */
export interface TokenizedRecord {
  /** Token ids (BOS/EOS as you want them; nothing is added). */
  input_ids: number[];
  /** Hugging Face-style labels aligned with `input_ids` (−100: no loss); defaults to `input_ids`. */
  labels?: number[];
}

/** Any record `SFTTrainer` accepts (the same formats as TRL's SFTTrainer). Extra keys are ignored. */
export type SFTRecord = TextRecord | PromptCompletionRecord | ConversationRecord | TokenizedRecord;

/** Which format a record is in. */
export type RecordKind = 'tokenized' | 'messages' | 'prompt-completion' | 'conversational-prompt-completion' | 'text';

const FORMATS = '{ text }, { prompt, completion }, { messages } or { input_ids[, labels] }';

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

function isIdList(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => Number.isInteger(x));
}

/**
 * Checks a conversation's messages (non-empty list of `{ role, content }` strings), naming the
 * offending message.
 *
 * @example
 * ```ts
 * checkMessages('du_lieu_train', 4, 'messages', [{ role: 'user' }]);
 * // throws: du_lieu_train[4].messages[0] must be an object with string role and content.
 * ```
 */
export function checkMessages(dataset: string, index: number, key: string, value: unknown): ChatMessage[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new TrainingDataError(
      dataset,
      index,
      key,
      `must be a non-empty list of { role, content } messages (got ${Array.isArray(value) ? 'an empty list' : typeName(value)})`,
    );
  }
  value.forEach((m, i) => {
    if (
      typeof m !== 'object' ||
      m === null ||
      typeof (m as ChatMessage).role !== 'string' ||
      typeof (m as ChatMessage).content !== 'string'
    ) {
      throw new TrainingDataError(dataset, index, `${key}[${i}]`, 'must be an object with string role and content');
    }
  });
  return value as ChatMessage[];
}

/**
 * The format of a record, checked: the keys it needs are present with the right types. Throws a
 * `TrainingDataError` naming the dataset, the record index and the key for anything else.
 *
 * @example
 * ```ts
 * recordKind({ prompt: 'Q', completion: 'A' }, 'du_lieu_train', 0); // 'prompt-completion'
 * recordKind({ instruction: 'Q' }, 'du_lieu_train', 3); // throws: du_lieu_train[3] has keys instruction, which fit no SFT format ...
 * ```
 */
export function recordKind(record: unknown, dataset: string, index: number): RecordKind {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new TrainingDataError(
      dataset,
      index,
      null,
      `is ${typeName(record)}, not a record object; expected ${FORMATS}`,
    );
  }
  const r = record as Record<string, unknown>;
  if ('input_ids' in r) {
    if (!isIdList(r.input_ids) || r.input_ids.length === 0) {
      throw new TrainingDataError(dataset, index, 'input_ids', 'must be a non-empty list of integer token ids');
    }
    if (r.labels !== undefined) {
      if (!isIdList(r.labels))
        throw new TrainingDataError(dataset, index, 'labels', 'must be a list of integer token ids (−100 = no loss)');
      if (r.labels.length !== r.input_ids.length) {
        throw new TrainingDataError(
          dataset,
          index,
          'labels',
          `has ${r.labels.length} entries but input_ids has ${r.input_ids.length}`,
        );
      }
    }
    return 'tokenized';
  }
  if ('messages' in r) {
    checkMessages(dataset, index, 'messages', r.messages);
    return 'messages';
  }
  if ('prompt' in r || 'completion' in r) {
    for (const key of ['prompt', 'completion'] as const) {
      if (!(key in r))
        throw new TrainingDataError(
          dataset,
          index,
          key,
          `is missing (a prompt-completion record needs both prompt and completion)`,
        );
    }
    if (typeof r.prompt === 'string' && typeof r.completion === 'string') return 'prompt-completion';
    if (Array.isArray(r.prompt) && Array.isArray(r.completion)) {
      checkMessages(dataset, index, 'prompt', r.prompt);
      checkMessages(dataset, index, 'completion', r.completion);
      return 'conversational-prompt-completion';
    }
    throw new TrainingDataError(
      dataset,
      index,
      'completion',
      `and prompt must both be strings or both message lists (got ${typeName(r.prompt)} and ${typeName(r.completion)})`,
    );
  }
  if ('text' in r) {
    if (typeof r.text !== 'string')
      throw new TrainingDataError(dataset, index, 'text', `must be a string (got ${typeName(r.text)})`);
    return 'text';
  }
  const keys = Object.keys(r);
  throw new TrainingDataError(
    dataset,
    index,
    null,
    `has ${keys.length ? `keys ${keys.join(', ')}` : 'no keys'}, which fit no SFT format; expected ${FORMATS}`,
  );
}
