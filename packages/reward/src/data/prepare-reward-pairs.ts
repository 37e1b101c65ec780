import { TrainingDataError } from '@rlhf/core';
import type { Tokenizer } from '@rlhf/models';
import { type PreferenceData, preparePreferenceData } from '@rlhf/preference-data';

/** One training pair of the reward model: the two whole sequences it scores, and an optional margin. */
export interface RewardPair {
  /** Token ids of prompt + chosen response (BOS … EOS for text records). */
  chosen: number[];
  /** Token ids of prompt + rejected response. */
  rejected: number[];
  /** The pair's margin m (Llama 2), 0 when the record has none. */
  margin: number;
}

/** Options of the reward trainer's data preparation (`prepareRewardPairs`, internal). */
export interface PrepareRewardPairsOptions {
  /** Longest prompt + response in tokens. */
  maxSeqLength: number;
  /** Longest prompt kept when a pair must be cut. @defaultValue ⌊maxSeqLength / 2⌋ */
  maxPromptLength?: number;
  /** Chat template for conversational records when the tokenizer has none. */
  chatTemplate?: string;
  /** The model's vocabulary size: a larger tokenizer, or ids at or above it, are rejected. */
  vocabSize: number;
  /** Name of the dataset in this function's own error messages. @defaultValue 'preference_data' */
  dataset?: string;
}

/** Prepared pairs and what truncation did. */
export interface PreparedRewardPairs {
  /** One entry per record, in order. */
  pairs: RewardPair[];
  /** Pairs cut to `maxSeqLength`. */
  truncated: number;
  /** Pairs whose chosen and rejected responses are the same tokens (`chosen == rejected`: no signal). */
  identical: number;
}

/** Collects an array, iterable or async iterable of records. */
async function collect(data: unknown, dataset: string): Promise<unknown[]> {
  if (Array.isArray(data)) return data;
  if (data !== null && typeof data === 'object') {
    if (Symbol.asyncIterator in data) {
      const out: unknown[] = [];
      for await (const r of data as AsyncIterable<unknown>) out.push(r);
      return out;
    }
    if (Symbol.iterator in data) return [...(data as Iterable<unknown>)];
  }
  throw new TrainingDataError(
    dataset,
    null,
    null,
    `must be an array (or iterable) of { prompt, chosen, rejected } records, got ${data === null ? 'null' : typeof data}`,
  );
}

/**
 * Turns preference records into the token sequences a reward model scores. The records go through
 * `@rlhf/preference-data`'s handling (`preparePreferenceData`: the specification's `{ prompt, chosen, rejected }`,
 * pre-tokenised ids, ShareGPT and HH-RLHF layouts; chat templates; TRL's truncation that keeps the prompt
 * and cuts the responses; errors naming the record), and each pair becomes `prompt + chosen` and
 * `prompt + rejected` (text responses end with EOS, the token whose hidden state the head reads). A record
 * may carry a numeric `margin` (TRL's column, Llama 2's margin).
 *
 * @example
 * ```ts
 * const { pairs, truncated } = await prepareRewardPairs([{ prompt: 'Hi', chosen: ' Hello!', rejected: ' Go.' }], tokenizer, { maxSeqLength: 512, vocabSize: 512 });
 * pairs[0].chosen; // [1, ...'Hi', ...' Hello!', 2]
 * ```
 */
export async function prepareRewardPairs(
  data: PreferenceData,
  tokenizer: Tokenizer | null,
  { maxSeqLength, maxPromptLength, chatTemplate, vocabSize, dataset = 'preference_data' }: PrepareRewardPairsOptions,
): Promise<PreparedRewardPairs> {
  const records = await collect(data, dataset);
  const margins = records.map((record, index) => {
    const margin = (record as { margin?: unknown } | null)?.margin ?? 0;
    if (typeof margin !== 'number' || !Number.isFinite(margin)) {
      throw new TrainingDataError(dataset, index, 'margin', `must be a finite number, got ${JSON.stringify(margin)}`);
    }
    return margin;
  });
  const prepared = await preparePreferenceData(records, tokenizer, {
    maxSeqLength,
    vocabSize,
    ...(maxPromptLength === undefined ? {} : { maxPromptLength }),
    ...(chatTemplate === undefined ? {} : { chatTemplate }),
  }).catch((error: unknown) => {
    // `@rlhf/preference-data` names every dataset `preference_data`; say which one it was (e.g. `du_lieu_val`).
    if (dataset === 'preference_data' || !(error instanceof TrainingDataError)) throw error;
    throw new TrainingDataError(dataset, error.index, error.key, error.reason);
  });
  const pairs = prepared.pairs.map((t, i) => ({
    chosen: [...t.prompt, ...t.chosen],
    rejected: [...t.prompt, ...t.rejected],
    margin: margins[i] as number,
  }));
  return { pairs, truncated: prepared.truncated, identical: prepared.identical };
}
