import { join } from 'node:path';
import type { LogRecord, TensorBackend, TrainingProgress } from '@rlhf/core';
import { runDpoCommand } from '@rlhf/dpo/node';
import type { CausalLM } from '@rlhf/models';
import { loadModel } from '@rlhf/models/node';
import { loadRewardModel, runRewardCommand, runScoreCommand } from '@rlhf/reward/node';
import { runSftCommand } from '@rlhf/sft/node';
import { type ParsedArgs, rejectUnknownFlags, stringFlag, UsageError } from '../args.js';
import { cliBackend } from '../cli-backend.js';
import { commandFlags } from '../command-specs.js';
import type { CommandOutput } from '../output.js';
import { progressBar, recordFigures } from '../progress.js';
import { trainingOptions } from '../training-flags.js';

/** The `--backend` flag's backend, or the fastest installed (said on `out`'s stderr). */
export async function backendOf(args: ParsedArgs, out?: CommandOutput): Promise<TensorBackend> {
  const flag = args.flags.get('backend');
  return cliBackend(typeof flag === 'string' ? flag : undefined, out?.notice);
}

/** A progress display fed by history records and the run's progress (steps done of total); `finish` ends its line. */
export function progressOf(label: string): {
  on_record: (record: LogRecord, progress?: Readonly<TrainingProgress>) => void;
  finish: (status?: string) => void;
} {
  const bar = progressBar(process.stderr, label);
  return {
    on_record: (r, progress) => bar.update({ step: r.step, total: progress?.total_steps ?? 0, ...recordFigures(r) }),
    finish: (status) => bar.finish(status),
  };
}

/** Awaits a run, ending the progress line either way ('done', or 'stopped' before the error prints). */
export async function finishing<T>(progress: { finish: (status?: string) => void }, run: Promise<T>): Promise<T> {
  try {
    const value = await run;
    progress.finish('done');
    return value;
  } catch (error) {
    progress.finish('stopped');
    throw error;
  }
}

/**
 * Warns (on stderr) about pairs with `chosen == rejected` and about records `--skip-invalid` left out (the
 * `--json` result stays the specification's `huan_luyen` result; the library reports both counts in `stats`).
 */
export function warnAboutPairs(out: CommandOutput, identical: number, skipped: number): void {
  if (identical > 0)
    out.info(
      `warning: ${identical} preference pair(s) have chosen == rejected (no preference signal); see thong_ke().identical_pairs`,
    );
  if (skipped > 0) out.info(`warning: --skip-invalid left out ${skipped} invalid record(s)`);
}

/** What a preference-training command hands its library runner (the flags every such command shares). */
export interface PreferenceRunArgs {
  model: CausalLM;
  ref_model?: CausalLM | null;
  overwrite: boolean;
  skip_invalid: boolean;
  inputs: string[];
  data: string;
  options: Awaited<ReturnType<typeof trainingOptions>>;
  out: string;
  history_file: string;
  on_record: ReturnType<typeof progressOf>['on_record'];
}

/**
 * The shared part of `rlhf dpo`, `kto`, `orpo` and `cpo`: reads the command's options, loads `--model` (and
 * `--ref-model` when the trainer takes a reference), and runs `run` under a progress line. Returns its
 * result with the output folder and data file.
 */
export async function runPreferenceTraining<T>(
  args: ParsedArgs,
  out: CommandOutput,
  command: 'dpo' | 'kto' | 'orpo' | 'cpo',
  withReference: boolean,
  run: (inputs: PreferenceRunArgs) => Promise<T>,
): Promise<{ value: T; dir: string; data: string }> {
  const options = await trainingOptions(args, commandFlags(command));
  const dir = stringFlag(args, 'out');
  const data = stringFlag(args, 'data');
  const backend = await backendOf(args, out);
  const model = await loadModel(stringFlag(args, 'model'), { backend });
  const refDir = withReference ? optionalString(args, 'ref-model') : null;
  const progress = progressOf(command);
  const value = await finishing(
    progress,
    run({
      model,
      ...(withReference ? { ref_model: refDir ? await loadModel(refDir, { backend }) : null } : {}),
      overwrite: args.flags.has('overwrite'),
      skip_invalid: args.flags.has('skip-invalid'),
      inputs: [stringFlag(args, 'model'), ...(refDir ? [refDir] : [])],
      data,
      options,
      out: dir,
      history_file: join(dir, 'history.jsonl'),
      on_record: progress.on_record,
    }),
  );
  return { value, dir, data };
}

/** A string flag's value, or `null` when absent. */
export const optionalString = (args: ParsedArgs, name: string): string | null => {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : null;
};

/**
 * `rlhf sft --model DIR --data FILE [--val-data FILE] --out DIR [--overwrite] [--lora JSON [--merge-lora DIR]]
 * [--config FILE] [--<option> VALUE ...]`: SFTTrainer; saves the model to `--out` (with `--lora`, a PEFT
 * adapter folder; `--merge-lora DIR` also writes the merged model) and the history to `--out/history.jsonl`.
 * `--out` is checked and locked before training (a finished run there needs `--overwrite`). Result: the
 * `huan_luyen` result.
 *
 * @example
 * ```sh
 * rlhf sft --model models/base --data data/train.jsonl --out runs/sft --so_vong 1 --toc_do_hoc 1e-4 --json
 * ```
 */
export async function sftCommand(args: ParsedArgs, out: CommandOutput): Promise<void> {
  const own = commandFlags('sft');
  const options = await trainingOptions(args, own);
  const dir = stringFlag(args, 'out');
  const mergedDir = optionalString(args, 'merge-lora');
  if (args.flags.has('merge-lora') && mergedDir === null)
    throw new UsageError('--merge-lora needs a folder for the merged model (--merge-lora DIR).');
  if (mergedDir !== null && (options.lora === undefined || options.lora === null))
    throw new UsageError('--merge-lora writes the merged LoRA model: it needs --lora (e.g. --lora \'{"r":8}\').');
  const modelDir = stringFlag(args, 'model');
  const model = await loadModel(modelDir, { backend: await backendOf(args, out) });
  const progress = progressOf('sft');
  const { result } = await finishing(
    progress,
    runSftCommand({
      model,
      overwrite: args.flags.has('overwrite'),
      inputs: [stringFlag(args, 'model')],
      data: stringFlag(args, 'data'),
      val_data: optionalString(args, 'val-data'),
      options,
      out: dir,
      merged_out: mergedDir,
      base_model: modelDir,
      history_file: join(dir, 'history.jsonl'),
      on_record: progress.on_record,
    }),
  );
  out.result(
    result,
    `SFT done: ${result.global_step} steps, best loss ${result.train_loss_min.toFixed(4)}; ${options.lora ? 'LoRA adapter' : 'model'} saved to ${dir}${mergedDir ? `, merged model to ${mergedDir}` : ''}.`,
  );
}

/**
 * `rlhf dpo --model DIR [--ref-model DIR] --data FILE --out DIR [--overwrite] [--skip-invalid] [--config FILE]
 * [--<option> VALUE ...]`: DPOTrainer. `--skip-invalid` leaves out unusable records (counted in `skipped_pairs`). Result: the `huan_luyen` result.
 *
 * @example
 * ```sh
 * rlhf dpo --model runs/sft --data data/prefs.jsonl --out runs/dpo --beta 0.1 --json
 * ```
 */
export async function dpoCommand(args: ParsedArgs, out: CommandOutput): Promise<void> {
  const { value, dir } = await runPreferenceTraining(args, out, 'dpo', true, runDpoCommand);
  const { result, stats, skipped } = value;
  warnAboutPairs(out, stats.identical_pairs, skipped.length);
  out.result(
    result,
    `DPO done: ${result.global_step} steps, final reward margin ${result.final_reward_margin.toFixed(4)}; model saved to ${dir}.`,
  );
}

/**
 * `rlhf reward --model DIR --data FILE --out DIR [--overwrite] [--skip-invalid] [--config FILE] [--<option> VALUE ...]`:
 * RewardModel training (a scalar head is added to a plain LM). Result: the `huan_luyen` result.
 *
 * @example
 * ```sh
 * rlhf reward --model runs/sft --data data/prefs.jsonl --out runs/rm --toc_do_hoc 1e-4 --json
 * ```
 */
export async function rewardCommand(args: ParsedArgs, out: CommandOutput): Promise<void> {
  const own = commandFlags('reward');
  const options = await trainingOptions(args, own);
  const dir = stringFlag(args, 'out');
  // A plain language model gets a new scalar head; a saved reward model continues training.
  const seed = typeof options.seed === 'number' ? options.seed : 42;
  const model = await loadRewardModel(stringFlag(args, 'model'), {
    backend: await backendOf(args, out),
    newHeadSeed: seed,
  });
  const progress = progressOf('reward');
  const { result, stats, skipped } = await finishing(
    progress,
    runRewardCommand({
      model,
      overwrite: args.flags.has('overwrite'),
      skip_invalid: args.flags.has('skip-invalid'),
      inputs: [stringFlag(args, 'model')],
      data: stringFlag(args, 'data'),
      val_data: optionalString(args, 'val-data'),
      options,
      out: dir,
      history_file: join(dir, 'history.jsonl'),
      on_record: progress.on_record,
    }),
  );
  warnAboutPairs(out, stats.identical_pairs, skipped.length);
  out.result(
    result,
    `Reward model done: ${result.global_step} steps, best loss ${result.train_loss_min.toFixed(4)}; saved to ${dir}.`,
  );
}

/**
 * `rlhf score --model DIR --texts FILE`: `diem_danh_gia` over a JSON array (or JSONL) of strings.
 * Result: `{ scores: [{ van_ban, score, score_normalized }] }` (with `--json`, one object, as every command).
 *
 * @example
 * ```sh
 * rlhf score --model runs/rm --texts texts.json --json
 * ```
 */
export async function scoreCommand(args: ParsedArgs, out: CommandOutput): Promise<void> {
  rejectUnknownFlags(args, commandFlags('score'));
  const model = await loadRewardModel(stringFlag(args, 'model'), { backend: await backendOf(args, out) });
  const scored = await runScoreCommand({ model, texts: stringFlag(args, 'texts') });
  out.result(
    { scores: scored },
    scored.map((s) => `${s.score.toFixed(4)}\t${s.score_normalized.toFixed(4)}\t${s.van_ban}`).join('\n'),
  );
}
