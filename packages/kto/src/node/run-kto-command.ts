/// <reference types="node" />

import { DataFileError, type LogRecord, TrainingDataError, type TrainingProgress } from '@rlhf/core';
import { historyFileCallback, withOutputFolder } from '@rlhf/core/node';
import { type SkippedRecord, validPreferenceRecords } from '@rlhf/dpo';
import type { CausalLM, Tokenizer } from '@rlhf/models';
import { saveModel } from '@rlhf/models/node';
import { toKtoExample } from '../data/kto-record.js';
import { isPreferencePair, unpairPreferenceData } from '../data/unpair-preference-data.js';
import { KtoDataError } from '../errors/kto-data-error.js';
import type { KTOConfig } from '../kto-config.js';
import { type KTOResult, type KTOStats, KTOTrainer } from '../kto-trainer.js';
import { readKtoFile } from './read-kto-file.js';

/** Arguments of {@link runKtoCommand} (what `rlhf kto` passes after parsing its flags and config file). */
export interface KtoCommandArgs {
  /** The policy to train (e.g. `loadModel(dir)` of `@rlhf/models/node`). */
  model: CausalLM;
  /** The frozen reference (`--ref-model DIR`); `null`: a frozen copy of `model`. */
  ref_model?: CausalLM | null;
  /**
   * KTO data: a JSON array or JSONL file, gzip allowed, of `{ prompt, completion, label }` records — or of
   * preference pairs (every record a pair), converted with `unpairPreferenceData`.
   */
  data: string;
  /** Tokenizer; defaults to the model's. */
  tokenizer?: Tokenizer | null;
  /** KTOTrainer options (the config file merged with flags). */
  options?: KTOConfig;
  /** Use only the first `limit` records of the file. */
  limit?: number | null;
  /** Leave out records the trainer would reject (reported in the result) instead of failing. @defaultValue false */
  skip_invalid?: boolean;
  /** Saves the trained model here as a Hugging Face directory (LoRA adapters merged in first). */
  out?: string | null;
  /** Replace a finished or interrupted run in `out`; without it such a folder is refused. @defaultValue false */
  overwrite?: boolean;
  /** Paths this run reads (the model folders): `out` may not be one of them, inside one, or hold one. */
  inputs?: readonly string[];
  /** Writes every history record here as JSONL (TRL's metric names). */
  history_file?: string | null;
  /** Called with every history record and the run's progress. Returning `false` stops training. */
  on_record?: (record: LogRecord, progress?: Readonly<TrainingProgress>) => unknown;
}

/** What {@link runKtoCommand} returns. */
export interface KtoCommandResult {
  /** The specification's result object (what `rlhf kto --json` prints). */
  result: KTOResult;
  /** The trainer's `thong_ke()`, with what the file held. */
  stats: KTOStats & {
    /** The file held preference pairs, converted to two examples each. */
    converted_from_pairs: boolean;
    /** Records left out by `skip_invalid`. */
    skipped_records: number;
  };
  /** Records left out with `skip_invalid`, with the file line where known. */
  skipped: (SkippedRecord & {
    /** The 1-based line of the file where the record starts, or `null` when unknown. */
    line: number | null;
  })[];
}

/**
 * The core of `rlhf kto`: reads the file (a paired file is converted: pair i → examples 2i, 2i + 1), trains with
 * `KTOTrainer`, writes the history as JSONL and saves the model. Options are validated before anything is read;
 * a record the trainer rejects is reported with its file and line (core's `DataFileError`). Nothing is written
 * before the data and options are validated.
 *
 * @example
 * ```ts
 * import { loadModel } from '@rlhf/models/node';
 * import { runKtoCommand } from '@rlhf/kto/node';
 * const model = await loadModel('models/stories260K');
 * const { result } = await runKtoCommand({ model, data: 'feedback.jsonl', out: 'out/kto', options: { beta: 0.1 } });
 * ```
 */
export async function runKtoCommand(args: KtoCommandArgs): Promise<KtoCommandResult> {
  const trainer = new KTOTrainer(args.options ?? {});
  const file = await readKtoFile(args.data, args.limit == null ? {} : { limit: args.limit });
  if (file.records.length === 0) throw new DataFileError(args.data, null, 'is empty: it holds no records');
  let records: unknown[] = file.records;
  let lines = file.lines;
  let skipped: KtoCommandResult['skipped'] = [];
  const paired = file.records.every(isPreferencePair);
  if (paired && args.skip_invalid) {
    const invalid = validPreferenceRecords(records).skipped;
    const bad = new Set(invalid.map((s) => s.index));
    skipped = invalid.map((s) => ({ ...s, line: lines[s.index] ?? null }));
    records = records.filter((_, i) => !bad.has(i));
    lines = lines.filter((_, i) => !bad.has(i));
  }
  if (paired) {
    try {
      records = unpairPreferenceData(records);
    } catch (error) {
      throw locate(error, args.data, lines);
    }
    lines = lines.flatMap((line) => [line, line]);
  } else if (args.skip_invalid) {
    const bad = new Set<number>();
    records.forEach((record, index) => {
      try {
        toKtoExample(record, index);
      } catch (error) {
        if (!KtoDataError.isInstance(error)) throw error;
        bad.add(index);
        skipped.push({ index, reason: error.message, line: lines[index] ?? null });
      }
    });
    records = records.filter((_, i) => !bad.has(i));
    lines = lines.filter((_, i) => !bad.has(i));
  }
  const resume = Boolean(trainer.options.resume_from_checkpoint);
  const folder = {
    kind: 'kto',
    command: `rlhf kto --out ${args.out}`,
    inputs: [...(args.inputs ?? []), args.data],
    overwrite: args.overwrite ?? false,
    resume,
  };
  return withOutputFolder(args.out, folder, async () => {
    const callback = historyFileCallback(args.history_file, args.on_record, { resume });
    let result: KTOResult;
    try {
      result = await trainer.huan_luyen(args.model, args.ref_model ?? null, records, args.tokenizer ?? null, callback);
    } catch (error) {
      throw locate(error, args.data, lines, paired);
    }
    if (args.out) {
      trainer.lora?.merge();
      await saveModel(args.model, args.out);
    }
    const stats = { ...trainer.thong_ke(), converted_from_pairs: paired, skipped_records: skipped.length };
    return { result, stats, skipped };
  });
}

/** Turns a record error into one naming the file and line (for converted pairs, the pair's line). */
function locate(error: unknown, path: string, lines: readonly (number | null)[], paired = false): unknown {
  if (!(error instanceof TrainingDataError) || error.index === null) return error;
  const record = paired
    ? `pair ${Math.floor(error.index / 2)}, converted record ${error.index}`
    : `record ${error.index}`;
  const where = error.key === null ? `(${record})` : `(${record}, ${error.key})`;
  return new DataFileError(path, lines[error.index] ?? null, `${where} ${error.reason}`, { cause: error });
}
