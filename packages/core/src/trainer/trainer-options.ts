import type { TensorBackend } from '../backend/backend-spec.js';
import type { CheckpointStorage } from './checkpoint-storage.js';
import { described, type OptionConfig, type OptionValues, option } from './option-schema.js';

/** Learning-rate schedules a trainer can use after warm-up. */
export type LrSchedulerType = 'linear' | 'cosine' | 'constant';

/** The keys whose defaults differ between trainers (each gives the specification's values). */
export type TrainerDefaultKey =
  | 'so_vong'
  | 'kich_thuoc_batch'
  | 'toc_do_hoc'
  | 'gradient_accumulation'
  | 'gradient_clip'
  | 'warmup_ratio'
  | 'weight_decay'
  | 'logging_steps'
  | 'seed';

/** The specification's defaults that differ between trainers. */
export type TrainerDefaults = Readonly<Record<TrainerDefaultKey, number>>;

const isStorage = (v: unknown): boolean =>
  typeof v === 'object' &&
  v !== null &&
  ['write', 'read', 'list'].every((m) => typeof (v as Record<string, unknown>)[m] === 'function');

/**
 * The one table of the options every trainer shares (the loop's): the specification's keys in their Vietnamese
 * spelling and the extras in the same snake_case style, each with its default, check and documentation.
 * A trainer spreads it into its own table with the specification's defaults; the option types
 * ({@link TrainerConfig}, {@link TrainerOptions}), the defaults and the validation all derive from it.
 *
 * @example
 * ```ts
 * const specs = { ...trainerOptionSpecs({ so_vong: 3, kich_thuoc_batch: 4, ... }), max_seq_length: option.integer(512, { min: 1 }) };
 * const options = resolveOptions('SFTTrainer', specs, userOptions);
 * ```
 */
export function trainerOptionSpecs(defaults: TrainerDefaults) {
  return {
    /** Number of epochs (số vòng). */
    so_vong: described('Number of epochs (số vòng)', option.integer(defaults.so_vong, { min: 1 })),
    /** Examples per micro-batch (kích thước batch), before accumulation. */
    kich_thuoc_batch: described(
      'Examples per micro-batch (kích thước batch), before accumulation',
      option.integer(defaults.kich_thuoc_batch, { min: 1 }),
    ),
    /** Peak learning rate (tốc độ học), reached after warm-up; finite, ≥ 0. */
    toc_do_hoc: described(
      'Peak learning rate (tốc độ học), reached after warm-up; finite, ≥ 0',
      option.number(defaults.toc_do_hoc, { min: 0 }),
    ),
    /** Micro-batches per optimizer step. */
    gradient_accumulation: described(
      'Micro-batches per optimizer step',
      option.integer(defaults.gradient_accumulation, { min: 1 }),
    ),
    /** Global gradient-norm clipping threshold; 0 disables clipping (the norm is still logged). */
    gradient_clip: described(
      'Global gradient-norm clipping threshold; 0 disables clipping (the norm is still logged)',
      option.number(defaults.gradient_clip, { min: 0 }),
    ),
    /** Share of all optimizer steps spent warming the learning rate up linearly from 0 (`⌈ratio · steps⌉`). */
    warmup_ratio: described(
      'Share of all optimizer steps spent warming the learning rate up linearly from 0 (`⌈ratio · steps⌉`)',
      option.number(defaults.warmup_ratio, { min: 0, max: 1 }),
    ),
    /** Decoupled AdamW weight decay on matrices and embeddings (none on norms and biases). */
    weight_decay: described(
      'Decoupled AdamW weight decay on matrices and embeddings (none on norms and biases)',
      option.number(defaults.weight_decay, { min: 0 }),
    ),
    /** A history record every this many optimizer steps (and at the last step). */
    logging_steps: described(
      'A history record every this many optimizer steps (and at the last step)',
      option.integer(defaults.logging_steps, { min: 1 }),
    ),
    /** Seed of the run's one random generator: shuffling, adapter initialisation, dropout. */
    seed: described(
      "Seed of the run's one random generator: shuffling, adapter initialisation, dropout",
      option.integer(defaults.seed),
    ),
    /** Total optimizer steps; overrides `so_vong` when > 0. @defaultValue -1 */
    max_steps: described(
      'Total optimizer steps; overrides `so_vong` when > 0',
      option.custom<number>(
        -1,
        '-1 (use so_vong) or an integer ≥ 1',
        (v) => v === -1 || (Number.isInteger(v) && (v as number) >= 1),
      ),
    ),
    /** Schedule after warm-up. @defaultValue 'linear' (decay to 0, as Hugging Face) */
    lr_scheduler_type: described(
      'Schedule after warm-up',
      option.oneOf<LrSchedulerType>('linear', ['linear', 'cosine', 'constant']),
    ),
    /** Evaluate on the validation data before the first step too. @defaultValue false */
    eval_on_start: described('Evaluate on the validation data before the first step too', option.boolean(false)),
    /** Directory for checkpoints (Node; in browsers pass `checkpoint_storage`). @defaultValue null (none) */
    output_dir: described(
      'Directory for checkpoints (Node; in browsers pass `checkpoint_storage`)',
      option.nullable(option.custom<string>('', 'a non-empty path', (v) => typeof v === 'string' && v.length > 0)),
    ),
    /** A checkpoint every this many optimizer steps (plus one at the end); 0: only at the end. @defaultValue 500 */
    save_steps: described(
      'A checkpoint every this many optimizer steps (plus one at the end); 0: only at the end',
      option.integer(500, { min: 0 }),
    ),
    /** Keep only the newest this many checkpoints (older ones are deleted), as Hugging Face. @defaultValue null (all) */
    save_total_limit: described(
      'Keep only the newest this many checkpoints (older ones are deleted), as Hugging Face',
      option.nullable(option.integer(1, { min: 1 })),
    ),
    /** Allow writing into an `output_dir` that holds a finished or interrupted run (removing it). @defaultValue false */
    overwrite_output_dir: described(
      'Allow writing into an `output_dir` that holds a finished or interrupted run (removing it)',
      option.boolean(false),
    ),
    /**
     * Continue from a checkpoint: its name (`'checkpoint-500'`) or path, or `true` for the latest one in
     * `output_dir` / `checkpoint_storage`. @defaultValue null
     */
    resume_from_checkpoint: described(
      "Continue from a checkpoint: its name (`'checkpoint-500'`) or path, or `true` for the latest one in `output_dir` / `checkpoint_storage`",
      option.nullable(
        option.custom<string | boolean>(
          false,
          'a checkpoint name or path, or true for the latest',
          (v) => typeof v === 'boolean' || (typeof v === 'string' && v.length > 0),
        ),
      ),
    ),
    /** Where checkpoints go when not in `output_dir` (browsers, memory). @defaultValue null */
    checkpoint_storage: described(
      'Where checkpoints go when not in `output_dir` (browsers, memory)',
      option.nullable(
        option.custom<CheckpointStorage>(null as never, 'an object with write, read and list methods', isStorage),
      ),
    ),
    /**
     * The backend the model must be on (a backend object or its name, e.g. `'js'`); checked against the
     * model's. @defaultValue null (the model's)
     */
    backend: described(
      "The backend the model must be on: a backend object or its name (e.g. 'js')",
      option.nullable(
        option.custom<string | TensorBackend>(
          '',
          "a backend object or a backend name such as 'js'",
          (v) =>
            typeof v === 'string' ||
            (typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string'),
        ),
      ),
    ),
    /**
     * Skip an optimizer step whose loss (any micro-batch) or gradient norm is NaN or ±Infinity — no update,
     * its gradients dropped, counted in `thong_ke().skipped_steps` and the history's `skipped_steps` —
     * instead of stopping with a `NonFiniteError` naming the step. A non-finite parameter always stops
     * the run. @defaultValue false
     */
    skip_nonfinite_steps: described(
      "Skip an optimizer step whose loss (any micro-batch) or gradient norm is NaN or ±Infinity — no update, its gradients dropped, counted in `thong_ke().skipped_steps` and the history's `skipped_steps` — instead of stopping with a `NonFiniteError` naming the step",
      option.boolean(false),
    ),
  };
}

/** Option specs of the shared keys: the type of {@link trainerOptionSpecs}' table. */
export type TrainerOptionSpecs = ReturnType<typeof trainerOptionSpecs>;

/** Options every trainer shares, as a user passes them: every key optional (see {@link trainerOptionSpecs}). */
export type TrainerConfig = OptionConfig<TrainerOptionSpecs>;

/** Every option of {@link TrainerConfig}, resolved. */
export type TrainerOptions = OptionValues<TrainerOptionSpecs>;
