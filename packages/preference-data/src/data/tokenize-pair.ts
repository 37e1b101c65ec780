import { boundText } from '@rlhf/core';
import type { ChatMessage, Tokenizer } from '@rlhf/models';
import { PreferenceDataError } from '../errors/preference-data-error.js';
import type { NormalizedPreference, PreferenceContent } from './preference-record.js';
import { type TruncatedPair, truncatePair } from './truncate-pair.js';

/** Options of {@link tokenizePreferencePair}. */
export interface PairTokenizationOptions {
  /** Longest prompt + response sequence. */
  maxSeqLength: number;
  /** Longest prompt kept when a pair must be cut. @defaultValue ⌊maxSeqLength / 2⌋ */
  maxPromptLength?: number;
  /** A Jinja chat template for conversational records when the tokenizer has none (or to override it). */
  chatTemplate?: string;
  /** Size of the model's vocabulary: ids at or above it are rejected. */
  vocabSize?: number;
}

/**
 * Tokenises one pair and truncates it ({@link truncatePair}).
 *
 * - Text: the prompt is encoded with the tokenizer's special tokens (BOS for Llama), each response
 *   without them and followed by EOS — TRL's `tokenize_row`.
 * - Messages: the prompt is the chat template applied to the prompt turns with the generation prompt;
 *   each response is what the template adds for the assistant turn(s) after it (encoded without extra
 *   special tokens: the template writes them). A string prompt with message responses counts as one user
 *   turn; a string response after message turns as one assistant turn.
 * - Pre-tokenised ids are used as they are.
 *
 * Throws a {@link PreferenceDataError} naming `index` for a response with no tokens, a prompt with no
 * tokens, ids outside the model's vocabulary, or a conversational record without a chat template.
 *
 * @example
 * ```ts
 * const t = tokenizePreferencePair(toPreferencePair(record, 0), tokenizer, { maxSeqLength: 512 }, 0);
 * t.prompt; // [1, ...]   t.chosen; // [..., 2]   t.truncated; // false
 * ```
 */
export function tokenizePreferencePair(
  pair: NormalizedPreference,
  tokenizer: Tokenizer | null,
  options: PairTokenizationOptions,
  index: number,
): TruncatedPair {
  const ids = pair.kind === 'ids' ? pair : encodePair(pair, tokenizer, options, index);
  const prompt = [...ids.prompt_input_ids];
  const chosen = [...ids.chosen_input_ids];
  const rejected = [...ids.rejected_input_ids];
  if (prompt.length === 0) {
    throw new PreferenceDataError(
      'PREFERENCE_RECORD_INVALID',
      index,
      'prompt',
      'has no tokens (the first response token needs one before it; add BOS)',
    );
  }
  if (chosen.length === 0) throw new PreferenceDataError('PREFERENCE_EMPTY_RESPONSE', index, 'chosen', 'has no tokens');
  if (rejected.length === 0)
    throw new PreferenceDataError('PREFERENCE_EMPTY_RESPONSE', index, 'rejected', 'has no tokens');
  if (options.vocabSize !== undefined) {
    const bad = [...prompt, ...chosen, ...rejected].find((id) => id >= (options.vocabSize as number));
    if (bad !== undefined) {
      throw new PreferenceDataError(
        'PREFERENCE_TOKENIZER_MISMATCH',
        index,
        null,
        `has token id ${bad}, outside the model's vocabulary (size ${options.vocabSize})`,
      );
    }
  }
  const maxPromptLength = Math.min(
    options.maxPromptLength ?? Math.floor(options.maxSeqLength / 2),
    options.maxSeqLength - 1,
  );
  return truncatePair(prompt, chosen, rejected, { maxLength: options.maxSeqLength, maxPromptLength });
}

interface PairIds {
  prompt_input_ids: number[];
  chosen_input_ids: number[];
  rejected_input_ids: number[];
}

function encodePair(
  pair: Extract<NormalizedPreference, { kind: 'text' }>,
  tokenizer: Tokenizer | null,
  options: PairTokenizationOptions,
  index: number,
): PairIds {
  if (!tokenizer) {
    throw new PreferenceDataError(
      'PREFERENCE_NO_TOKENIZER',
      index,
      null,
      'is text, but no tokenizer was given and the model carries none (pass a tokenizer, or pre-tokenised prompt_input_ids / chosen_input_ids / rejected_input_ids)',
    );
  }
  const conversational = [pair.prompt, pair.chosen, pair.rejected].some((c) => typeof c !== 'string');
  if (!conversational) {
    const eos = tokenizer.eosTokenId;
    const response = (text: string) => [
      ...tokenizer.encode(text, { addSpecialTokens: false }),
      ...(eos === undefined ? [] : [eos]),
    ];
    // Huge texts are cut before tokenising (prompts keep their end, responses their start, as truncatePair does).
    const n = options.maxSeqLength;
    return {
      prompt_input_ids: tokenizer.encode(boundText(pair.prompt as string, n, 'end')),
      chosen_input_ids: response(boundText(pair.chosen as string, n)),
      rejected_input_ids: response(boundText(pair.rejected as string, n)),
    };
  }
  const template = options.chatTemplate ?? tokenizer.chatTemplate;
  if (template === undefined) {
    throw new PreferenceDataError(
      'PREFERENCE_NO_CHAT_TEMPLATE',
      index,
      null,
      'is conversational (message lists), but the tokenizer has no chat template (set the chat_template option)',
    );
  }
  const promptMessages = asMessages(pair.prompt, 'user');
  const render = (messages: readonly ChatMessage[], addGenerationPrompt: boolean) =>
    tokenizer.applyChatTemplate(messages, { chatTemplate: template, tokenize: false, addGenerationPrompt });
  const promptText = render(promptMessages, true);
  const responseText = (key: 'chosen' | 'rejected') => {
    const full = render([...promptMessages, ...asMessages(pair[key], 'assistant')], false);
    if (!full.startsWith(promptText)) {
      throw new PreferenceDataError(
        'PREFERENCE_RECORD_INVALID',
        index,
        key,
        'cannot be separated from the prompt: the chat template renders the conversation so that it does not start with the rendered prompt',
      );
    }
    return full.slice(promptText.length);
  };
  const encode = (text: string) => tokenizer.encode(text, { addSpecialTokens: false });
  return {
    prompt_input_ids: encode(promptText),
    chosen_input_ids: encode(responseText('chosen')),
    rejected_input_ids: encode(responseText('rejected')),
  };
}

function asMessages(content: PreferenceContent, role: string): readonly ChatMessage[] {
  return typeof content === 'string' ? [{ role, content }] : content;
}
