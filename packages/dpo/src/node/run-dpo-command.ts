/// <reference types="node" />

import { type LogRecord, TrainingDataError, type TrainingProgress } from '@rlhf/core';
import { historyFileCallback, withOutputFolder } from '@rlhf/core/node';
import type { CausalLM, Tokenizer } from '@rlhf/models';
import { saveModel } from '@rlhf/models/node';
import { type SkippedRecord, validPreferenceRecords } from '@rlhf/preference-data';
import { type PreferenceFile, PreferenceFileError, readPreferenceFile } from '@rlhf/preference-data/node';
import type { DPOConfig } from '../dpo-config.js';
import { type DPOResult, type DPOStats, DPOTrainer } from '../dpo-trainer.js';

/** Arguments of {@link runDpoCommand} (what `rlhf dpo` passes after parsing its flags and config file). */
export interface DpoCommandArgs {
  /** The policy to train (e.g. `loadModel(dir)` of `@rlhf/models/node`). */
  model: CausalLM;
  /** The frozen reference (`--ref-model DIR`); `null`: a frozen copy of `model` (or adapters off with LoRA). */
  ref_model?: CausalLM | null;
  /** Preference data: a JSON array or JSONL file, gzip allowed, in any accepted layout. */
  data: string;
  /** Tokenizer; defaults to the model's. */
  tokenizer?: Tokenizer | null;
  /** DPOTrainer options (the config file merged with flags). */
  options?: DPOConfig;
  /** Use only the first `limit` records. */
  limit?: number | null;
  /** Leave out records the trainer would reject (reported in the result) instead of failing. @defaultValue false */
  skip_invalid?: boolean;
  /** Saves the trained model here as a Hugging Face directory (LoRA adapters merged in first). */
  out?: string | null;
  /**
   * Replace a finished or interrupted run in `out` (its content is removed first); without it such a
   * folder is refused (`OutputFolderError`). @defaultValue false
   */
  overwrite?: boolean;
  /** Paths this run reads (the model folders): `out` may not be one of them, inside one, or hold one. */
  inputs?: readonly string[];
  /** Writes every history record here as JSONL (created or truncated at the first record; kept up to the checkpoint when resuming). */
  history_file?: string | null;
  /** Called with every history record and the run's progress (`global_step` of `total_steps`: progress display). Returning `false` stops training. */
  on_record?: (record: LogRecord, progress?: Readonly<TrainingProgress>) => unknown;
}

/** What {@link runDpoCommand} returns: the `huan_luyen` result, the statistics and any skipped records. */
export interface DpoCommandResult {
  /** The specification's result object (what `rlhf dpo --json` prints). */
  result: DPOResult;
  /** The trainer's `thong_ke()`, plus the count of records left out by `skip_invalid`. */
  stats: DPOStats & {
    /** Records left out by `skip_invalid` (unusable pairs), each reported with its line. */
    skipped_pairs: number;
  };
  /** Records left out with `skip_invalid`, with the file line where known. */
  skipped: SkippedLine[];
}

/** A record left out by `skip_invalid`, with its file line. */
export interface SkippedLine extends SkippedRecord {
  /** 1-based line in the file, `null` inside a JSON array. */
  line: number | null;
}

/**
 * The core of `rlhf dpo`: reads the preference file, trains with {@link DPOTrainer}, writes the history as
 * JSONL and saves the model. Options are validated before anything is read; a record the trainer rejects
 * is reported with its file and line ({@link PreferenceFileError}); option errors stay `ConfigError`s.
 * Nothing is written before the data and options are validated.
 *
 * @example
 * ```ts
 * import { loadModel } from '@rlhf/models/node';
 * import { runDpoCommand } from '@rlhf/dpo/node';
 * const model = await loadModel('models/stories260K');
 * const { result } = await runDpoCommand({ model, data: 'pairs.jsonl', out: 'out/dpo', options: { beta: 0.1 } });
 * ```
 */
export async function runDpoCommand(args: DpoCommandArgs): Promise<DpoCommandResult> {
  const trainer = new DPOTrainer(args.options ?? {});
  const file = await readPreferenceFile(args.data, args.limit == null ? {} : { limit: args.limit });
  if (file.records.length === 0)
    throw new PreferenceFileError(args.data, null, 'is empty: it holds no preference pairs');
  let records = file.records;
  let lines = file.lines;
  let skipped: DpoCommandResult['skipped'] = [];
  if (args.skip_invalid) {
    const invalid = validPreferenceRecords(file.records).skipped;
    const bad = new Set(invalid.map((s) => s.index));
    skipped = invalid.map((s) => ({ ...s, line: file.lines[s.index] ?? null }));
    records = file.records.filter((_, i) => !bad.has(i));
    lines = file.lines.filter((_, i) => !bad.has(i));
  }
  const resume = Boolean(trainer.options.resume_from_checkpoint);
  const folder = {
    kind: 'dpo',
    command: `rlhf dpo --out ${args.out}`,
    inputs: [...(args.inputs ?? []), args.data],
    overwrite: args.overwrite ?? false,
    resume,
  };
  return withOutputFolder(args.out, folder, async () => {
    const callback = historyFileCallback(args.history_file, args.on_record, { resume });
    let result: DPOResult;
    try {
      result = await trainer.huan_luyen(args.model, args.ref_model ?? null, records, args.tokenizer ?? null, callback);
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
