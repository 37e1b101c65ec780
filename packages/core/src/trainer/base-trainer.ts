import type { Module } from '../nn/module.js';
import type { Random } from '../random/random.js';
import type { TensorCodec } from './checkpoint.js';
import { ConfigError } from './config-error.js';
import { type OptionSpecs, resolveOptions } from './option-schema.js';
import { type Checkpointing, resolveCheckpointing } from './resolve-storage.js';
import type { TrainerOptions } from './trainer-options.js';
import type { TrainingHistory } from './training-history.js';
import { runTrainingLoop, type TrainerCallback } from './training-loop.js';
import { emptyProgress, type TrainingProgress } from './training-progress.js';
import type { TrainingTask } from './training-task.js';

/** What every trainer's `thong_ke()` (statistics) reports; trainers add their own keys. */
export interface TrainerStats {
  /** Optimizer steps done. */
  global_step: number;
  /** Optimizer steps planned. */
  total_steps: number;
  /** Whole epochs done (số epoch). */
  so_epoch: number;
  /** Epochs done, fractional. */
  epoch: number;
  /** Input tokens fed to the model (padding excluded). */
  tokens_seen: number;
  /** Input tokens per second of optimizer steps in this session. */
  tokens_per_second: number;
  /** Seconds of the last `huan_luyen` call (tổng thời gian). */
  tong_thoi_gian: number;
  /** Parameters that `huan_luyen` updated (elements; with LoRA, the adapters only). */
  trainable_parameters: number;
  /** Every parameter element of the model. */
  total_parameters: number;
  /** Name of the backend the model runs on (`null` before training). */
  backend: string | null;
  /** Training examples (after packing, the packed sequences). */
  examples: number;
  /** A callback stopped the run. */
  stopped_early: boolean;
  /** Checkpoint the run resumed from. */
  resumed_from: string | null;
  /** Checkpoints written by the last run. */
  checkpoints: string[];
  /** Optimizer steps skipped for a non-finite loss or gradient norm (`skip_nonfinite_steps`). */
  skipped_steps: number;
}

/** Arguments of `BaseTrainer.fit` (protected: what a trainer subclass passes to the shared loop). */
export interface FitArguments<TItem> {
  /** The model to train. */
  model: Module;
  /** How items are measured and turned into a loss. */
  task: TrainingTask<TItem>;
  /** The training items. */
  train: readonly TItem[];
  /** The validation items (`null`: no validation). */
  val: readonly TItem[] | null;
  /** Called with every logged record (`null`: none). */
  callback: TrainerCallback | null;
  /** How checkpoint tensors are written and read. */
  codec: TensorCodec;
  /** The run's seeded generator (epoch shuffles, dropout, adapter initialisation). */
  rng: Random;
  /** Epochs of this run when a `huan_luyen` argument overrides the `so_vong` option (the options stay as resolved). */
  so_vong?: number;
}

/**
 * The part every trainer shares: options validated at construction against the trainer's specs (unknown
 * keys, types and ranges → {@link ConfigError}), the shared loop ({@link runTrainingLoop}), checkpoints,
 * and the specification's `lay_lich_su()` (get the history) and statistics for `thong_ke()`. A trainer adds its
 * data preparation, its {@link TrainingTask}, and one history builder (`buildHistory`)
 * that makes both its result's `history` and `lay_lich_su()`, so the two always have the same shape.
 *
 * @example
 * ```ts
 * class MyTrainer extends BaseTrainer<TrainerOptions, TrainingHistory> {
 *   constructor(options: TrainerConfig = {}) { super('MyTrainer', trainerOptionSpecs(MY_DEFAULTS), options); }
 *   async huan_luyen(model, data) { await this.fit({ model, task, train: data, val: null, callback: null, codec, rng }); }
 *   protected buildHistory(h: TrainingHistory) { return cloneHistory(h); }
 *   thong_ke() { return this.baseStats(); }
 * }
 * ```
 */
export abstract class BaseTrainer<TOptions extends TrainerOptions, THistory = TrainingHistory> {
  /** The resolved options (defaults filled in). */
  readonly options: Readonly<TOptions>;
  /** Live history and counters of the current or last run. */
  protected progress: TrainingProgress = emptyProgress();
  /** Facts about the last run's model and data. */
  protected runInfo: {
    /** Trainable parameter elements. */
    trainable: number;
    /** All parameter elements. */
    total: number;
    /** The model's backend name (`null` before training). */
    backend: string | null;
    /** Training examples. */
    examples: number;
    /** Seconds of the last `huan_luyen` call. */
    seconds: number;
  } = { trainable: 0, total: 0, backend: null, examples: 0, seconds: 0 };

  protected constructor(
    /** Trainer name used in messages (`'SFTTrainer'`). */
    readonly owner: string,
    specs: OptionSpecs,
    given: unknown,
  ) {
    this.options = resolveOptions(owner, specs, given) as unknown as TOptions;
    const o = this.options;
    if (o.resume_from_checkpoint === true && o.output_dir === null && o.checkpoint_storage === null) {
      throw new ConfigError(
        owner,
        'resume_from_checkpoint',
        true,
        'a checkpoint name or path when neither output_dir nor checkpoint_storage is set',
      );
    }
  }

  /**
   * Gets the history (lấy lịch sử): exactly what the result's `history` holds (the specification's columns first,
   * then the trainer's others and every record in order), built by the same `buildHistory`.
   * A copy; empty before training; callbacks may call it during a run.
   *
   * @example
   * ```ts
   * const { train_loss, step } = trainer.lay_lich_su();
   * ```
   */
  lay_lich_su(): THistory {
    return this.buildHistory(this.progress.history);
  }

  /**
   * The trainer's history from the base's: one builder for both the result's `history` and
   * `lay_lich_su()`. Must return fresh arrays (callers may change them).
   */
  protected abstract buildHistory(history: TrainingHistory): THistory;

  /** The shared statistics; trainers' `thong_ke()` extend them. */
  protected baseStats(): TrainerStats {
    const p = this.progress;
    return {
      global_step: p.global_step,
      total_steps: p.total_steps,
      so_epoch: p.epochs_completed,
      epoch: p.steps_per_epoch > 0 ? p.global_step / p.steps_per_epoch : 0,
      tokens_seen: p.tokens_seen,
      tokens_per_second: p.session_seconds > 0 ? p.session_tokens / p.session_seconds : 0,
      tong_thoi_gian: this.runInfo.seconds,
      trainable_parameters: this.runInfo.trainable,
      total_parameters: this.runInfo.total,
      backend: this.runInfo.backend,
      examples: this.runInfo.examples,
      stopped_early: p.stopped_early,
      resumed_from: p.resumed_from,
      checkpoints: [...p.checkpoints],
      skipped_steps: p.skipped_steps,
    };
  }

  /**
   * Checks the `backend` option against the model's backend (a model cannot change backend here: load it
   * on the one you want).
   */
  protected checkBackend(model: Module): void {
    const wanted = this.options.backend;
    if (wanted === null) return;
    const ok =
      typeof wanted === 'string'
        ? wanted === model.backend.name
        : wanted === model.backend || wanted.name === model.backend.name;
    if (!ok) {
      const name = typeof wanted === 'string' ? wanted : wanted.name;
      throw new ConfigError(
        this.owner,
        'backend',
        name,
        `the model's backend '${model.backend.name}'`,
        `load the model with backend '${name}' to train on it`,
      );
    }
  }

  /**
   * Runs the shared loop on prepared data; call after validating the data (nothing is written before).
   * Resets the history and counters, then updates them as it goes.
   */
  protected async fit<TItem>(args: FitArguments<TItem>): Promise<void> {
    this.checkBackend(args.model);
    const { storage, resume, release } = await resolveCheckpointing(this.owner, this.options);
    try {
      await this.runLoop(args, storage, resume);
    } finally {
      release();
    }
  }

  private async runLoop<TItem>(
    args: FitArguments<TItem>,
    storage: Checkpointing['storage'],
    resume: Checkpointing['resume'],
  ): Promise<void> {
    this.progress = emptyProgress();
    this.runInfo.trainable = args.model.parameterCount(true);
    this.runInfo.total = args.model.parameterCount();
    this.runInfo.backend = args.model.backend.name;
    this.runInfo.examples = args.train.length;
    await runTrainingLoop({
      owner: this.owner,
      model: args.model,
      task: args.task,
      train: args.train,
      val: args.val,
      options: args.so_vong === undefined ? this.options : { ...this.options, so_vong: args.so_vong },
      rng: args.rng,
      codec: args.codec,
      storage,
      resume,
      callback: args.callback,
      progress: this.progress,
    });
  }
}

/**
 * The smallest value of a list, or `undefined` for an empty one (NaN entries ignored).
 *
 * @example
 * ```ts
 * minOf([2.1, 1.7, 1.9]); // 1.7
 * ```
 */
export function minOf(values: readonly number[]): number | undefined {
  let best: number | undefined;
  for (const v of values) if (!Number.isNaN(v) && (best === undefined || v < best)) best = v;
  return best;
}
