import { tokenizePreferencePair } from '@rlhf/dpo';
import type { Tokenizer } from '@rlhf/models';
import { KtoDataError } from '../errors/kto-data-error.js';
import { asKtoError, type KtoRecordInput, toKtoExample } from './kto-record.js';

/** KTO data as the trainer takes it: an array, or any (async) iterable of records. */
export type KtoData = Iterable<KtoRecordInput | unknown> | AsyncIterable<KtoRecordInput | unknown>;

/** One example after tokenisation and truncation. */
export interface TokenizedKto {
  /** Prompt token ids (BOS first for Llama tokenizers). */
  prompt: number[];
  /** Completion token ids (EOS last for text records). */
  completion: number[];
  /** `true`: desirable. */
  label: boolean;
}

/** Options of {@link prepareKtoData}. */
export interface KtoTokenizationOptions {
  /** Longest prompt + completion. */
  maxSeqLength: number;
  /** Longest prompt kept when an example must be cut. @defaultValue ⌊maxSeqLength / 2⌋ */
  maxPromptLength?: number;
  /** A Jinja chat template for conversational records when the tokenizer has none (or to override it). */
  chatTemplate?: string;
  /** Size of the model's vocabulary: ids at or above it are rejected. */
  vocabSize: number;
}

/** What {@link prepareKtoData} returns. */
export interface PreparedKtoData {
  /** Every example, tokenised and truncated, in input order. */
  examples: TokenizedKto[];
  /** Examples with `label: true`. */
  desirable: number;
  /** Examples with `label: false`. */
  undesirable: number;
  /** Examples cut to `maxSeqLength`. */
  truncated: number;
  /** Examples whose prompt was cut too. */
  truncatedPrompts: number;
}

/**
 * Reads every record (arrays and async iterables alike), checks it ({@link toKtoExample}), tokenises and
 * truncates it with DPO's code (`tokenizePreferencePair`: text prompts get the tokenizer's special tokens and
 * completions EOS, as TRL's KTO tokenisation; messages go through the chat template; a prompt longer than
 * `maxPromptLength` is cut from the front, then the completion from the end). Throws a {@link KtoDataError}
 * naming the first bad record's index, for a tokenizer that does not fit the model, or for empty data.
 *
 * @example
 * ```ts
 * const { examples, desirable, undesirable } = await prepareKtoData(records, tokenizer, { maxSeqLength: 512, vocabSize: 512 });
 * ```
 */
export async function prepareKtoData(
  data: KtoData,
  tokenizer: Tokenizer | null,
  options: KtoTokenizationOptions,
): Promise<PreparedKtoData> {
  if (tokenizer && tokenizer.vocabSize > options.vocabSize) {
    throw new KtoDataError(
      'KTO_TOKENIZER_MISMATCH',
      null,
      null,
      `cannot be tokenised for this model: the tokenizer has ${tokenizer.vocabSize} tokens but the model's vocabulary has ${options.vocabSize} (use the model's own tokenizer)`,
    );
  }
  const out: PreparedKtoData = { examples: [], desirable: 0, undesirable: 0, truncated: 0, truncatedPrompts: 0 };
  let index = 0;
  for await (const record of data as AsyncIterable<unknown>) {
    const example = toKtoExample(record, index);
    // DPO's tokenisation with the completion in both response places; only the first is kept.
    const pair =
      example.kind === 'ids'
        ? {
            kind: 'ids' as const,
            prompt_input_ids: example.prompt_input_ids,
            chosen_input_ids: example.completion_input_ids,
            rejected_input_ids: example.completion_input_ids,
          }
        : { kind: 'text' as const, prompt: example.prompt, chosen: example.completion, rejected: example.completion };
    let t: ReturnType<typeof tokenizePreferencePair>;
    try {
      t = tokenizePreferencePair(pair, tokenizer, options, index);
    } catch (error) {
      throw asKtoError(error);
    }
    out.examples.push({ prompt: t.prompt, completion: t.chosen, label: example.label });
    if (example.label) out.desirable++;
    else out.undesirable++;
    if (t.truncated) out.truncated++;
    if (t.promptTruncated) out.truncatedPrompts++;
    index++;
  }
  if (out.examples.length === 0) throw new KtoDataError('KTO_DATA_EMPTY', null, null, 'is empty (no examples)');
  return out;
}
