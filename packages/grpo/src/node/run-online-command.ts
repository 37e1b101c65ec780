/// <reference types="node" />
import { type LogRecord, TrainingDataError, type TrainingProgress } from '@rlhf/core';
import { DataFileError, historyFileCallback, readRecords, withOutputFolder } from '@rlhf/core/node';
import type { CausalLM } from '@rlhf/models';
import { saveModel } from '@rlhf/models/node';
import { GRPOTrainer } from '../grpo-trainer.js';
import type { GRPOConfig, RLOOConfig } from '../online-config.js';
import type { OnlineResult, OnlineStats } from '../online-result.js';
import type { RewardFunction } from '../rewards/reward-function.js';
import { RLOOTrainer } from '../rloo-trainer.js';

/** Arguments of {@link runOnlineCommand} (what `rlhf grpo` / `rlhf rloo` pass after parsing their flags). */
export interface OnlineCommandArgs {
  /** `'grpo'` or `'rloo'`. */
  method: 'grpo' | 'rloo';
  /** The policy to train. */
  model: CausalLM;
  /** The frozen reference; `null`: a frozen copy of `model` (when β ≠ 0). */
  ref_model?: CausalLM | null;
  /** The prompts file: JSON or JSONL of `{ prompt }` (or strings). */
  prompts: string;
  /** The reward functions (a reward model enters through `rewardModelReward`). */
  reward_funcs: readonly RewardFunction[];
  /** Trainer options (the config file merged with flags). */
  options?: GRPOConfig | RLOOConfig;
  /** Saves the trained model here as a Hugging Face directory. */
  out?: string | null;
  /** Replace a finished or interrupted run in `out`. @defaultValue false */
  overwrite?: boolean;
  /** Paths this run reads (model folders, reward module): `out` may not be one of them. */
  inputs?: readonly string[];
  /** Writes every history record here as JSONL. */
  history_file?: string | null;
  /** Called with every history record and the run's progress. Returning `false` stops training. */
  on_record?: (record: LogRecord, progress?: Readonly<TrainingProgress>) => unknown;
}

/** What {@link runOnlineCommand} returns. */
export interface OnlineCommandResult {
  /** The `huan_luyen` result (what `rlhf grpo --json` prints). */
  result: OnlineResult;
  /** The trainer's `thong_ke()`. */
  stats: OnlineStats;
}

/**
 * The core of `rlhf grpo` / `rlhf rloo`: validates the options, reads the prompts file (a bad record is a
 * `DataFileError` naming the file and line), trains, writes the history as JSONL and saves the model.
 *
 * @example
 * ```ts
 * const { result } = await runOnlineCommand({ method: 'grpo', model, prompts: 'prompts.jsonl', reward_funcs: [reward], out: 'runs/grpo' });
 * ```
 */
export async function runOnlineCommand(args: OnlineCommandArgs): Promise<OnlineCommandResult> {
  const trainer =
    args.method === 'grpo'
      ? new GRPOTrainer((args.options ?? {}) as GRPOConfig)
      : new RLOOTrainer((args.options ?? {}) as RLOOConfig);
  const file = await readRecords(args.prompts);
  if (file.records.length === 0) throw new DataFileError(args.prompts, null, 'is empty: it holds no prompts');
  const resume = Boolean(trainer.options.resume_from_checkpoint);
  const folder = {
    kind: args.method,
    command: `rlhf ${args.method} --out ${args.out}`,
    inputs: [...(args.inputs ?? []), args.prompts],
    overwrite: args.overwrite ?? false,
    resume,
  };
  return withOutputFolder(args.out, folder, async () => {
    const callback = historyFileCallback(args.history_file, args.on_record, { resume });
    let result: OnlineResult;
    try {
      result = await trainer.huan_luyen(
        args.model,
        args.ref_model ?? null,
        file.records as { prompt: string }[],
        args.reward_funcs,
        null,
        callback,
      );
    } catch (error) {
      if (error instanceof TrainingDataError && error.index !== null)
        throw new DataFileError(
          args.prompts,
          file.lines[error.index] ?? null,
          `(record ${error.index}) ${error.reason}`,
        );
      throw error;
    }
    if (args.out) {
      trainer.lora?.merge();
      await saveModel(args.model, args.out);
    }
    return { result, stats: trainer.thong_ke() };
  });
}
