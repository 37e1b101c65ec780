import type { ChatMessage } from '@rlhf/models';
import { PreferenceDataError } from '../errors/preference-data-error.js';
import type { PreferencePair } from './preference-record.js';

/** One ShareGPT turn: `{ from, value }` (or OpenAI-style `{ role, content }`). */
export interface ShareGptTurn {
  /** Speaker: `human`, `gpt`, `system` (also `observation`, `function_call`). */
  from?: string;
  /** The turn's text. */
  value?: string;
  /** OpenAI-style speaker, instead of `from`. */
  role?: string;
  /** OpenAI-style text, instead of `value`. */
  content?: string;
}

/**
 * A ShareGPT-style preference record, as LLaMA-Factory's `dpo_en_demo.json`: the conversation so far
 * (ending with a human turn), and the two candidate assistant turns. An optional top-level `system`
 * string becomes the first message.
 */
export interface ShareGptPreferenceRecord {
  /** The conversation so far, ending with a human turn. */
  conversations: readonly ShareGptTurn[];
  /** The preferred assistant turn. */
  chosen: ShareGptTurn | string;
  /** The dispreferred assistant turn. */
  rejected: ShareGptTurn | string;
  /** A system prompt, placed first. */
  system?: string;
}

/** ShareGPT speaker tags → chat roles (LLaMA-Factory's defaults). */
const ROLES: Readonly<Record<string, string>> = {
  human: 'user',
  user: 'user',
  gpt: 'assistant',
  assistant: 'assistant',
  system: 'system',
  observation: 'tool',
  function_call: 'assistant',
  tool: 'tool',
};

/**
 * Converts a ShareGPT-style record to a conversational pair: `prompt` is the conversation as chat
 * messages (`human` → `user`, `gpt` → `assistant`, `system` → `system`), `chosen` / `rejected` are
 * one assistant message each. Throws a {@link PreferenceDataError} naming `index` for an unknown speaker,
 * a conversation that does not end with a user turn, or an empty response.
 *
 * @example
 * ```ts
 * fromShareGptPreference({
 *   conversations: [{ from: 'human', value: 'Hi!' }],
 *   chosen: { from: 'gpt', value: 'Hello, how can I help?' },
 *   rejected: { from: 'gpt', value: 'What?' },
 * });
 * // { prompt: [{ role: 'user', content: 'Hi!' }], chosen: [{ role: 'assistant', content: 'Hello, how can I help?' }], ... }
 * ```
 */
export function fromShareGptPreference(record: ShareGptPreferenceRecord, index = 0): PreferencePair {
  if (!Array.isArray(record.conversations) || record.conversations.length === 0) {
    throw new PreferenceDataError(
      'PREFERENCE_RECORD_INVALID',
      index,
      'conversations',
      'must be a non-empty list of { from, value } turns',
    );
  }
  const prompt: ChatMessage[] = [];
  if (typeof record.system === 'string' && record.system !== '')
    prompt.push({ role: 'system', content: record.system });
  record.conversations.forEach((turn, i) => {
    prompt.push(toMessage(turn, `conversations[${i}]`, index));
  });
  const last = prompt[prompt.length - 1] as ChatMessage;
  if (last.role !== 'user') {
    throw new PreferenceDataError(
      'PREFERENCE_RECORD_INVALID',
      index,
      'conversations',
      `must end with a human turn (it ends with '${last.role}')`,
    );
  }
  const response = (key: 'chosen' | 'rejected'): ChatMessage[] => {
    const value = record[key];
    const message = typeof value === 'string' ? { role: 'assistant', content: value } : toMessage(value, key, index);
    if (message.content.trim() === '')
      throw new PreferenceDataError('PREFERENCE_EMPTY_RESPONSE', index, key, 'is empty');
    return [{ ...message, role: 'assistant' }];
  };
  return { prompt, chosen: response('chosen'), rejected: response('rejected') };
}

function toMessage(turn: ShareGptTurn | undefined, where: string, index: number): ChatMessage {
  if (typeof turn !== 'object' || turn === null) {
    throw new PreferenceDataError('PREFERENCE_RECORD_INVALID', index, where, 'must be a { from, value } turn');
  }
  const tag = turn.from ?? turn.role;
  const content = turn.value ?? turn.content;
  if (typeof tag !== 'string' || typeof content !== 'string') {
    throw new PreferenceDataError('PREFERENCE_RECORD_INVALID', index, where, "must have string 'from' and 'value'");
  }
  const role = ROLES[tag];
  if (role === undefined) {
    throw new PreferenceDataError(
      'PREFERENCE_RECORD_INVALID',
      index,
      where,
      `has unknown speaker '${tag}' (known: ${Object.keys(ROLES).join(', ')})`,
    );
  }
  return { role, content };
}
