import type { Tokenizer } from '@rlhf/models';
import { PreferenceDataError } from '../errors/preference-data-error.js';
import { type PreferenceRecordInput, toPreferencePair } from './preference-record.js';
import { type PairTokenizationOptions, tokenizePreferencePair } from './tokenize-pair.js';
import type { TruncatedPair } from './truncate-pair.js';

/** Preference data as the trainer takes it: an array, or any (async) iterable of records. */
export type PreferenceData = Iterable<PreferenceRecordInput | unknown> | AsyncIterable<PreferenceRecordInput | unknown>;

/** Tokenised pairs and truncation counts. */
export interface PreparedPreferenceData {
  /** Every pair, tokenised and truncated, in input order. */
  pairs: TruncatedPair[];
  /** Pairs cut to `max_seq_length` (responses, and maybe the prompt). */
  truncated: number;
  /** Pairs whose prompt was cut. */
  truncatedPrompts: number;
  /** Pairs whose chosen and rejected responses are the same tokens (no preference signal: `chosen == rejected`). */
  identical: number;
}

/**
 * Reads every record (arrays and async iterables alike), recognises its layout, tokenises and truncates
 * it. Checks first that the tokenizer fits the model (`tokenizer.vocabSize ≤ vocabSize`). Throws a
 * {@link PreferenceDataError} naming the first bad record's index, or for empty data.
 *
 * @example
 * ```ts
 * const { pairs, truncated } = await preparePreferenceData(records, tokenizer, { maxSeqLength: 512, vocabSize: 512 });
 * ```
 */
export async function preparePreferenceData(
  data: PreferenceData,
  tokenizer: Tokenizer | null,
  options: PairTokenizationOptions & { vocabSize: number },
): Promise<PreparedPreferenceData> {
  if (tokenizer && tokenizer.vocabSize > options.vocabSize) {
    throw new PreferenceDataError(
      'PREFERENCE_TOKENIZER_MISMATCH',
      null,
      null,
      `cannot be tokenised for this model: the tokenizer has ${tokenizer.vocabSize} tokens but the model's vocabulary has ${options.vocabSize} (use the model's own tokenizer)`,
    );
  }
  const pairs: TruncatedPair[] = [];
  let truncated = 0;
  let truncatedPrompts = 0;
  let identical = 0;
  let index = 0;
  for await (const record of data as AsyncIterable<unknown>) {
    const pair = tokenizePreferencePair(toPreferencePair(record, index), tokenizer, options, index);
    if (pair.truncated) truncated++;
    if (pair.promptTruncated) truncatedPrompts++;
    if (pair.chosen.length === pair.rejected.length && pair.chosen.every((id, i) => id === pair.rejected[i]))
      identical++;
    pairs.push(pair);
    index++;
  }
  if (pairs.length === 0)
    throw new PreferenceDataError('PREFERENCE_DATA_EMPTY', null, null, 'is empty (no preference pairs)');
  return { pairs, truncated, truncatedPrompts, identical };
}
