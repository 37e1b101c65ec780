/// <reference types="node" />

import { type LogRecord, Random, TrainingDataError, type TrainingProgress } from '@rlhf/core';
import { historyFileCallback, withOutputFolder } from '@rlhf/core/node';
import { type CausalLM, createRewardModel, type RewardScoringModel } from '@rlhf/models';
import { validPreferenceRecords } from '@rlhf/preference-data';
import { type PreferenceFile, PreferenceFileError, readPreferenceFile } from '@rlhf/preference-data/node';
import type { RewardConfig } from '../reward-config.js';
import { RewardModel, type RewardStats, type RewardTrainResult } from '../reward-trainer.js';
import { saveRewardModel } from './reward-model-directory.js';

/** Arguments of {@link runRewardCommand} (what `rlhf reward` passes after parsing its flags and config file). */
export interface RewardCommandArgs {
  /**
   * The model: a reward model (`loadRewardModel(dir)`), or a causal LM, which gets a new scalar head
   * initialised from `options.seed` (`loadRewardModel(dir, { newHeadSeed })` does the same from a directory).
   */
  model: RewardScoringModel | CausalLM;
  /** Preference data: a JSON array or JSONL file, gzip allowed, in any layout `@rlhf/preference-data` accepts. */
  data: string;
  /** Held-out preference file, evaluated (loss, accuracy) after each epoch. */
  val_data?: string | null;
  /** RewardModel options (the config file merged with flags), `so_vong` included. */
  options?: RewardConfig;
  /** Use only the first `limit` records. */
  limit?: number | null;
  /** Leave out records the trainer would reject (reported in the result) instead of failing. @defaultValue false */
  skip_invalid?: boolean;
  /** Saves the trained reward model here (Hugging Face layout, μ, σ in `config.json`). */
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

/** A record left out by `skip_invalid`. */
export interface SkippedRewardRecord {
  /** Index of the record in the file (0-based). */
  index: number;
  /** Why the trainer would reject it. */
  reason: string;
  /** 1-based line of the file, or `null` inside a JSON array. */
  line: number | null;
}

/** What {@link runRewardCommand} returns. */
export interface RewardCommandResult {
  /** `huan_luyen`'s result (what `rlhf reward --json` prints). */
  result: RewardTrainResult;
  /** The trainer's `thong_ke()` after the run, plus the count of records left out by `skip_invalid`. */
  stats: RewardStats & {
    /** Records left out by `skip_invalid` (unusable pairs), each reported with its line. */
    skipped_pairs: number;
  };
  /** The trained reward model (the given one, or the LM with its new head). */
  model: RewardScoringModel;
  /** Records left out with `skip_invalid`, with the file line where known. */
  skipped: SkippedRewardRecord[];
}

/**
 * The core of `rlhf reward`: reads the preference file (`readPreferenceFile` of `@rlhf/preference-data/node`), adds a
 * scalar head to a plain LM, trains a {@link RewardModel} for `options.so_vong` epochs, writes the history
 * as JSONL and saves the reward model. Options are validated before anything is read; a record the trainer
 * rejects is reported with its file and line (`PreferenceFileError`).
 *
 * @example
 * ```ts
 * import { loadRewardModel, runRewardCommand } from '@rlhf/reward/node';
 * const model = await loadRewardModel('models/sft', { newHeadSeed: 42 });
 * const { result } = await runRewardCommand({ model, data: 'pairs.jsonl', out: 'out/rm', options: { so_vong: 1 } });
 * ```
 */
export async function runRewardCommand(args: RewardCommandArgs): Promise<RewardCommandResult> {
  const trainer = new RewardModel(args.options ?? {});
  const read = (path: string) => readPreferenceFile(path, args.limit == null ? {} : { limit: args.limit });
  let file = await read(args.data);
  if (file.records.length === 0)
    throw new PreferenceFileError(args.data, null, 'is empty: it holds no preference pairs');
  const val = args.val_data ? (await read(args.val_data)).records : null;
  let skipped: RewardCommandResult['skipped'] = [];
  if (args.skip_invalid) {
    const invalid = validPreferenceRecords(file.records).skipped;
    const bad = new Set(invalid.map((s) => s.index));
    skipped = invalid.map((s) => ({ ...s, line: file.lines[s.index] ?? null }));
    file = { records: file.records.filter((_, i) => !bad.has(i)), lines: file.lines.filter((_, i) => !bad.has(i)) };
  }
  const model = 'score' in args.model ? args.model : createRewardModel(args.model, new Random(trainer.options.seed));
  const resume = Boolean(trainer.options.resume_from_checkpoint);
  const folder = {
    kind: 'reward',
    command: `rlhf reward --out ${args.out}`,
    inputs: [...(args.inputs ?? []), args.data, ...(args.val_data ? [args.val_data] : [])],
    overwrite: args.overwrite ?? false,
    resume,
  };
  return withOutputFolder(args.out, folder, async () => {
    const callback = historyFileCallback(args.history_file, args.on_record, { resume });
    let result: RewardTrainResult;
    try {
      result = await trainer.huan_luyen(
        model,
        file.records,
        null,
        callback as (r: LogRecord) => Promise<boolean | undefined>,
        val,
      );
    } catch (error) {
      throw locate(error, args.data, file);
    }
    if (args.out) await saveRewardModel(model, args.out);
    return { result, stats: { ...trainer.thong_ke(), skipped_pairs: skipped.length }, model, skipped };
  });
}

/** Turns a record error of the training file into one naming the file and line. */
function locate(error: unknown, path: string, file: PreferenceFile): unknown {
  if (!(error instanceof TrainingDataError) || error.index === null || error.dataset !== 'preference_data')
    return error;
  const where = error.key === null ? `(record ${error.index})` : `(record ${error.index}, ${error.key})`;
  return new PreferenceFileError(path, file.lines[error.index] ?? null, `${where} ${error.reason}`, { cause: error });
}
