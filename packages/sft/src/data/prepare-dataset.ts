import { TrainingDataError } from '@rlhf/core';
import type { Tokenizer } from '@rlhf/models';
import { packExamples } from './pack-examples.js';
import { countTargets, type SFTExample, targetsFromLabels } from './sft-example.js';
import { recordKind } from './sft-record.js';
import { tokenizeRecord } from './tokenize-record.js';

/** Training or validation data: an array of records, or any (async) iterable of them. */
export type RecordSource<T = unknown> = readonly T[] | Iterable<T> | AsyncIterable<T>;

/** Options of {@link prepareDataset}. */
export interface PrepareOptions {
  /** Name used in errors (`'du_lieu_train'`). */
  dataset: string;
  /** Tokenizer for text records (`null`: only pre-tokenised records are accepted). */
  tokenizer: Tokenizer | null;
  /** Tokens per sequence; longer examples are truncated. */
  maxSeqLength: number;
  /** Token ids must be below this (the model's vocabulary size). */
  vocabSize: number;
  /** Loss on completions only, for prompt-completion records. */
  completionOnlyLoss: boolean;
  /** Loss on assistant turns only, for conversational records. */
  assistantOnlyLoss: boolean;
  /** Pack examples into `maxSeqLength` sequences. */
  packing: boolean;
}

/** Prepared data and what happened on the way. */
export interface PreparedDataset {
  /** The tokenised examples (packed sequences with `packing`). */
  examples: SFTExample[];
  /** Records read. */
  records: number;
  /** Records cut at `max_seq_length`. */
  truncated: number;
  /** Records left with no target token (all their targets were cut off); they still count as tokens seen. */
  withoutTargets: number;
}

async function* iterate<T>(source: RecordSource<T>): AsyncGenerator<T> {
  if (Symbol.asyncIterator in (source as object)) yield* source as AsyncIterable<T>;
  else yield* source as Iterable<T>;
}

/**
 * Validates and tokenises every record (format, tokenizer, chat template, token ids below the vocabulary
 * size), truncates at `maxSeqLength` (counted), turns labels into next-token targets and, with `packing`,
 * packs the examples. Throws a `TrainingDataError` naming the record index and key on the first bad
 * record, and for an empty dataset — before any training starts.
 *
 * @example
 * ```ts
 * const { examples, truncated } = await prepareDataset(records, { dataset: 'du_lieu_train', tokenizer, maxSeqLength: 512,
 *   vocabSize: 32064, completionOnlyLoss: true, assistantOnlyLoss: true, packing: false });
 * ```
 */
export async function prepareDataset(source: RecordSource, o: PrepareOptions): Promise<PreparedDataset> {
  if (source === null || typeof source !== 'object' || !(Symbol.iterator in source || Symbol.asyncIterator in source)) {
    throw new TrainingDataError(o.dataset, null, null, 'must be an array (or iterable) of records');
  }
  const examples: SFTExample[] = [];
  let truncated = 0;
  let withoutTargets = 0;
  let index = 0;
  for await (const record of iterate(source)) {
    const kind = recordKind(record, o.dataset, index);
    const { input_ids, labels } = tokenizeRecord(record as Record<string, unknown>, kind, {
      tokenizer: o.tokenizer,
      completionOnlyLoss: o.completionOnlyLoss,
      assistantOnlyLoss: o.assistantOnlyLoss,
      dataset: o.dataset,
      index,
      maxSeqLength: o.maxSeqLength,
    });
    const bad = input_ids.findIndex((id) => id < 0 || id >= o.vocabSize);
    if (bad >= 0) {
      throw new TrainingDataError(
        o.dataset,
        index,
        'input_ids',
        `has token id ${input_ids[bad]} at position ${bad}, outside the model's vocabulary 0..${o.vocabSize - 1}`,
      );
    }
    const badLabel = labels.findIndex((id) => id !== -100 && (id < 0 || id >= o.vocabSize));
    if (badLabel >= 0) {
      throw new TrainingDataError(
        o.dataset,
        index,
        'labels',
        `has ${labels[badLabel]} at position ${badLabel}: labels are token ids below ${o.vocabSize} or -100`,
      );
    }
    if (input_ids.length > o.maxSeqLength) truncated++;
    const ids = input_ids.slice(0, o.maxSeqLength);
    const targets = targetsFromLabels(labels.slice(0, o.maxSeqLength));
    if (countTargets(targets) === 0) withoutTargets++;
    examples.push({ input_ids: ids, targets, positions: null, segments: null });
    index++;
  }
  if (index === 0) throw new TrainingDataError(o.dataset, null, null, 'is empty (no records)');
  if (withoutTargets === index) {
    throw new TrainingDataError(
      o.dataset,
      null,
      null,
      `has no token to learn in any record (is max_seq_length ${o.maxSeqLength} cutting off every completion?)`,
    );
  }
  return {
    examples: o.packing ? packExamples(examples, o.maxSeqLength) : examples,
    records: index,
    truncated,
    withoutTargets,
  };
}
