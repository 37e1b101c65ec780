/// <reference types="node" />

import { type LogRecord, TrainingDataError, type TrainingProgress } from '@rlhf/core';
import { historyFileCallback, withOutputFolder } from '@rlhf/core/node';
import { validPreferenceRecords } from '@rlhf/dpo';
import { type PreferenceFile, PreferenceFileError, readPreferenceFile, type SkippedLine } from '@rlhf/dpo/node';
import type { CausalLM, Tokenizer } from '@rlhf/models';
import { saveModel } from '@rlhf/models/node';
import type { MarginHistoryColumns, PreferenceResult } from '../preference-history.js';
import type { PairDataOptions, PairDataStats, ReferenceFreeTrainer } from '../reference-free-trainer.js';

/** Arguments of `runOrpoCommand` / `runCpoCommand` (what `rlhf orpo` / `rlhf cpo` pass after parsing flags). */
export interface PreferenceCommandArgs<TConfig> {
  /** The policy to train (e.g. `loadModel(dir)` of `@rlhf/models/node`); the only model of the run. */
  model: CausalLM;
  /** Preference data: a JSON array or JSONL file, gzip allowed, in any accepted layout. */
  data: string;
  /** Tokenizer; defaults to the model's. */
  tokenizer?: Tokenizer | null;
  /** Trainer options (the config file merged with flags). */
  options?: TConfig;
  /** Use only the first `limit` records. */
  limit?: number | null;
  /** Leave out records the trainer would reject (reported in the result) instead of failing. @defaultValue false */
  skip_invalid?: boolean;
  /** Saves the trained model here as a Hugging Face directory. */
  out?: string | null;
  /** Replace a finished or interrupted run in `out`; without it such a folder is refused (`OutputFolderError`). @defaultValue false */
  overwrite?: boolean;
  /** Paths this run reads (the model folder): `out` may not be one of them, inside one, or hold one. */
  inputs?: readonly string[];
  /** Writes every history record here as JSONL (kept up to the checkpoint when resuming). */
  history_file?: string | null;
  /** Called with every history record and the run's progress. Returning `false` stops training. */
  on_record?: (record: LogRecord, progress?: Readonly<TrainingProgress>) => unknown;
}

/** What the command cores return: the `huan_luyen` result, the statistics and any skipped records. */
export interface PreferenceCommandResult<THistory, TStats> {
  /** The specification's result object (what `--json` prints). */
  result: PreferenceResult<THistory>;
  /** The trainer's `thong_ke()`, plus the count of records left out by `skip_invalid`. */
  stats: TStats & {
    /** Records left out by `skip_invalid` (unusable pairs), each reported with its line. */
    skipped_pairs: number;
  };
  /** Records left out with `skip_invalid`, with the file line where known. */
  skipped: SkippedLine[];
}

/**
 * The shared core of `rlhf orpo` and `rlhf cpo`, as `rlhf dpo`'s: reads the preference file, trains with
 * `trainer` (constructed first, so options are validated before anything is read), writes the history as
 * JSONL and saves the model to `out`. A record the trainer rejects is reported with its file and line
 * ({@link PreferenceFileError}). Nothing is written before the data and options are validated.
 *
 * @example
 * ```ts
 * const run = await runPreferenceCommand('orpo', new ORPOTrainer({ beta: 0.1 }), { model, data: 'pairs.jsonl', out: 'runs/orpo' });
 * ```
 */
export async function runPreferenceCommand<
  TOptions extends PairDataOptions,
  THistory extends MarginHistoryColumns,
  TStats extends PairDataStats,
>(
  kind: string,
  trainer: ReferenceFreeTrainer<TOptions, THistory> & { thong_ke(): TStats },
  args: PreferenceCommandArgs<unknown>,
): Promise<PreferenceCommandResult<THistory, TStats>> {
  const file = await readPreferenceFile(args.data, args.limit == null ? {} : { limit: args.limit });
  if (file.records.length === 0)
    throw new PreferenceFileError(args.data, null, 'is empty: it holds no preference pairs');
  let records = file.records;
  let lines = file.lines;
  let skipped: SkippedLine[] = [];
  if (args.skip_invalid) {
    const invalid = validPreferenceRecords(file.records).skipped;
    const bad = new Set(invalid.map((s) => s.index));
    skipped = invalid.map((s) => ({ ...s, line: file.lines[s.index] ?? null }));
    records = file.records.filter((_, i) => !bad.has(i));
    lines = file.lines.filter((_, i) => !bad.has(i));
  }
  const resume = Boolean(trainer.options.resume_from_checkpoint);
  const folder = {
    kind,
    command: `rlhf ${kind} --out ${args.out}`,
    inputs: [...(args.inputs ?? []), args.data],
    overwrite: args.overwrite ?? false,
    resume,
  };
  return withOutputFolder(args.out, folder, async () => {
    const callback = historyFileCallback(args.history_file, args.on_record, { resume });
    let result: PreferenceResult<THistory>;
    try {
      result = await trainer.huan_luyen(args.model, records, args.tokenizer ?? null, callback);
    } catch (error) {
      throw locate(error, args.data, { records, lines });
    }
    if (args.out) {
      trainer.lora?.merge();
      await saveModel(args.model, args.out);
    }
    return { result, stats: { ...trainer.thong_ke(), skipped_pairs: skipped.length }, skipped };
  });
}

/** Turns a record error into one naming the file and line. */
function locate(error: unknown, path: string, file: PreferenceFile): unknown {
  if (!(error instanceof TrainingDataError) || error.index === null) return error;
  const where = error.key === null ? `(record ${error.index})` : `(record ${error.index}, ${error.key})`;
  return new PreferenceFileError(path, file.lines[error.index] ?? null, `${where} ${error.reason}`, { cause: error });
}
