import { boundText, MAX_CHARS_PER_TOKEN, TrainingDataError } from '@rlhf/core';
import type { ChatMessage, Tokenizer } from '@rlhf/models';
import { conversationLabels, type LabelledIds } from './conversation-labels.js';
import { commonPrefixLength, IGNORE_INDEX } from './sft-example.js';
import type { RecordKind } from './sft-record.js';

/** What tokenising needs besides the record. */
export interface TokenizeContext {
  /** Tokenizer for text records (`null`: only pre-tokenised records are accepted). */
  tokenizer: Tokenizer | null;
  /** Loss on completions only, for prompt-completion records. */
  completionOnlyLoss: boolean;
  /** Loss on assistant turns only, for conversational records. */
  assistantOnlyLoss: boolean;
  /** Dataset name for errors (`'du_lieu_train'`). */
  dataset: string;
  /** The record's index, for errors. */
  index: number;
  /**
   * Tokens kept per sequence: longer texts are cut before tokenising ({@link boundText}), so a huge
   * record costs what `max_seq_length` allows. @defaultValue no cut
   */
  maxSeqLength?: number;
}

function needTokenizer(ctx: TokenizeContext, key: string): Tokenizer {
  if (!ctx.tokenizer) {
    throw new TrainingDataError(
      ctx.dataset,
      ctx.index,
      key,
      'needs a tokenizer: pass one to huan_luyen, load the model with its tokenizer.json, or give pre-tokenised input_ids',
    );
  }
  return ctx.tokenizer;
}

/** Appends EOS (as TRL does for non-conversational text), so the model learns to stop. */
function withEos(tokenizer: Tokenizer, ids: number[]): number[] {
  const eos = tokenizer.eosTokenId;
  return eos === undefined || ids[ids.length - 1] === eos ? ids : [...ids, eos];
}

/**
 * Tokenises one record of a known format into input ids and Hugging Face-style labels (aligned with the
 * inputs; −100 = no loss):
 *
 * - `{ text }`: encode(text) + EOS; every token is a target.
 * - `{ prompt, completion }`: encode(prompt + completion) + EOS; targets from where encode(prompt) stops
 *   agreeing with it (robust to a token merging across the boundary); all tokens with
 *   `completion_only_loss: false`.
 * - `{ prompt, completion }` as message lists: the conversation prompt ++ completion through the chat
 *   template; targets are the completion's turns.
 * - `{ messages }`: the chat template; targets are assistant turns ({@link conversationLabels}), or all
 *   tokens with `assistant_only_loss: false`.
 * - `{ input_ids, labels? }`: as given (labels default to the inputs).
 *
 * @example
 * ```ts
 * const { input_ids, labels } = tokenizeRecord({ prompt: 'Q: 2+2?\nA:', completion: ' 4' }, 'prompt-completion', ctx);
 * ```
 */
export function tokenizeRecord(record: Record<string, unknown>, kind: RecordKind, ctx: TokenizeContext): LabelledIds {
  switch (kind) {
    case 'tokenized': {
      const ids = record.input_ids as number[];
      return { input_ids: [...ids], labels: [...((record.labels as number[] | undefined) ?? ids)] };
    }
    case 'text': {
      const tok = needTokenizer(ctx, 'text');
      const ids = withEos(
        tok,
        tok.encode(boundText(record.text as string, ctx.maxSeqLength ?? Number.POSITIVE_INFINITY)),
      );
      return { input_ids: ids, labels: [...ids] };
    }
    case 'prompt-completion': {
      const tok = needTokenizer(ctx, 'prompt');
      // A huge record is cut before tokenising; only tokens past max_seq_length are affected.
      const whole = boundText(
        (record.prompt as string) + (record.completion as string),
        ctx.maxSeqLength ?? Number.POSITIVE_INFINITY,
      );
      const prompt = whole.length < (record.prompt as string).length ? whole : (record.prompt as string);
      const ids = withEos(tok, tok.encode(whole));
      if (!ctx.completionOnlyLoss) return { input_ids: ids, labels: [...ids] };
      const start = commonPrefixLength(tok.encode(prompt), ids);
      return { input_ids: ids, labels: ids.map((id, t) => (t >= start ? id : IGNORE_INDEX)) };
    }
    case 'conversational-prompt-completion': {
      const tok = needTokenizer(ctx, 'prompt');
      const prompt = record.prompt as ChatMessage[];
      const messages = boundMessages([...prompt, ...(record.completion as ChatMessage[])], ctx.maxSeqLength);
      if (!ctx.completionOnlyLoss) return allTargets(tok, messages, ctx, 'prompt');
      return conversationLabels(tok, messages, (_, i) => i >= prompt.length, ctx.dataset, ctx.index, 'completion');
    }
    case 'messages': {
      const tok = needTokenizer(ctx, 'messages');
      const messages = boundMessages(record.messages as ChatMessage[], ctx.maxSeqLength);
      if (!ctx.assistantOnlyLoss) return allTargets(tok, messages, ctx, 'messages');
      return conversationLabels(tok, messages, (m) => m.role === 'assistant', ctx.dataset, ctx.index);
    }
  }
}

/**
 * A huge conversation cut before it is rendered and tokenised, as {@link boundText} cuts a text: the
 * messages' contents are kept in order up to `(maxTokens + 8) × 128` characters in all (the message that
 * crosses the limit is cut, later ones dropped). The template only adds tokens, so a cut conversation still
 * has more than `maxTokens` tokens and is truncated as before; shorter conversations are unchanged.
 */
function boundMessages(messages: ChatMessage[], maxTokens: number | undefined): ChatMessage[] {
  if (maxTokens === undefined) return messages;
  let room = (Math.max(0, maxTokens) + 8) * MAX_CHARS_PER_TOKEN;
  const kept: ChatMessage[] = [];
  for (const m of messages) {
    if (room <= 0) break;
    const content = typeof m.content === 'string' && m.content.length > room ? m.content.slice(0, room) : m.content;
    kept.push(content === m.content ? m : { ...m, content });
    room -= typeof content === 'string' ? content.length : 0;
  }
  return kept.length === messages.length && kept.every((m, i) => m === messages[i]) ? messages : kept;
}

/** The whole rendered conversation, every token a target. */
function allTargets(tok: Tokenizer, messages: ChatMessage[], ctx: TokenizeContext, key: string): LabelledIds {
  try {
    const ids = tok.applyChatTemplate(messages);
    return { input_ids: ids, labels: [...ids] };
  } catch (error) {
    throw new TrainingDataError(
      ctx.dataset,
      ctx.index,
      key,
      `cannot be rendered with the chat template: ${(error as Error).message}`,
    );
  }
}
