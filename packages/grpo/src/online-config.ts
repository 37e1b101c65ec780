import { described, type OptionConfig, type OptionValues, option, trainerOptionSpecs } from '@rlhf/core';
import { loraOption } from '@rlhf/models';

/**
 * The TRL version whose `GRPOConfig` / `RLOOConfig` defaults and whose `grpo_trainer.py` / `rloo_trainer.py`
 * formulas these trainers follow.
 */
export const TRL_VERSION_FOLLOWED =
  'TRL v1.0 (trl/trainer/grpo_config.py, grpo_trainer.py, rloo_config.py, rloo_trainer.py)';

/** How token losses are aggregated (TRL v1.0 `GRPOConfig.loss_type`). */
export const GRPO_LOSS_TYPES = ['grpo', 'dr_grpo', 'dapo', 'bnpo'] as const;

/** One of {@link GRPO_LOSS_TYPES}. */
export type GrpoLossType = (typeof GRPO_LOSS_TYPES)[number];

/** How group-centred rewards are scaled (TRL v1.0 `GRPOConfig.scale_rewards`). */
export const SCALE_REWARDS = ['group', 'batch', 'none'] as const;

/** One of {@link SCALE_REWARDS}. */
export type ScaleRewards = (typeof SCALE_REWARDS)[number];

/**
 * Defaults shared by both online trainers. The loop's keys keep the specification's style; `toc_do_hoc` 1e-6 is TRL's
 * `learning_rate` of `GRPOConfig`/`RLOOConfig`, `gradient_accumulation` 1 and `logging_steps` 1 because an
 * online step is already a whole generation round.
 */
const ONLINE_LOOP_DEFAULTS = {
  /** Epochs over the prompts (số vòng). */
  so_vong: 1,
  /** Prompts per micro-batch (kích thước batch); each brings `num_generations` completions. */
  kich_thuoc_batch: 1,
  /** Peak learning rate (tốc độ học): TRL's 1e-6. */
  toc_do_hoc: 1e-6,
  /** Micro-batches per optimizer step. */
  gradient_accumulation: 1,
  /** Global gradient-norm clip (Hugging Face's `max_grad_norm`). */
  gradient_clip: 1.0,
  /** No warm-up (Hugging Face's default). */
  warmup_ratio: 0,
  /** No weight decay (Hugging Face's default). */
  weight_decay: 0,
  /** A history record every optimizer step. */
  logging_steps: 1,
  /** Seed of the run's generator (prompt order, sampling seeds). */
  seed: 42,
};

/** The option keys both online trainers share (sampling, clipping, lengths). */
function sharedOnlineSpecs(defaults: { beta: number; num_generations: number }) {
  return {
    ...trainerOptionSpecs(ONLINE_LOOP_DEFAULTS),
    /** β: weight of the KL term against the frozen reference; 0 loads no reference. */
    beta: described(
      'β: weight of the KL term against the frozen reference; 0 scores no reference (faster, less memory)',
      option.number(defaults.beta, { min: 0 }),
    ),
    /** Completions sampled per prompt (the group); ≥ 2. */
    num_generations: described(
      'Completions sampled per prompt (the group); at least 2, since the baseline is the group',
      option.integer(defaults.num_generations, { min: 2 }),
    ),
    /** Longest completion, in tokens (TRL: 256). @defaultValue 256 */
    max_completion_length: described(
      'Longest completion, in tokens (generation stops there; the completion counts as truncated)',
      option.integer(256, { min: 1 }),
    ),
    /** Longest prompt, in tokens; longer prompts keep BOS and their last tokens (TRL: left truncation). @defaultValue 512 */
    max_prompt_length: described(
      'Longest prompt, in tokens; longer prompts keep their first token (BOS) and their last tokens',
      option.integer(512, { min: 1 }),
    ),
    /** Longest prompt + completion; completions are cut to fit under it. @defaultValue 1024 */
    max_seq_length: described(
      'Longest prompt + completion, in tokens; the completion budget is cut to fit under it',
      option.integer(1024, { min: 2 }),
    ),
    /** Sampling temperature (TRL: 1.0). @defaultValue 1 */
    temperature: described(
      'Sampling temperature of the rollouts (> 0)',
      option.number(1, { min: 0, minExclusive: true }),
    ),
    /** Nucleus sampling mass (TRL: 1.0 = off). @defaultValue 1 */
    top_p: described(
      'Nucleus (top-p) sampling mass of the rollouts; 1 = off',
      option.number(1, { min: 0, max: 1, minExclusive: true }),
    ),
    /** Keep only the k most likely tokens when sampling (0 = off; TRL: None). @defaultValue 0 */
    top_k: described('Top-k sampling of the rollouts; 0 = off', option.integer(0, { min: 0 })),
    /** ε: lower clipping range of the ratio, [1 − ε, 1 + ε_high] (TRL: 0.2). @defaultValue 0.2 */
    epsilon: described('ε: the ratio is clipped to [1 − ε, 1 + ε_high]', option.number(0.2, { min: 0, max: 1 })),
    /** ε_high: upper clipping range; null = ε (DAPO recommends 0.28). @defaultValue null */
    epsilon_high: described(
      'ε_high: upper clipping range of the ratio; null = ε (DAPO recommends 0.28)',
      option.nullable(option.number(0.2, { min: 0 })),
    ),
    /** μ: optimizer steps on each generated batch (TRL: 1). @defaultValue 1 */
    num_iterations: described(
      'μ: optimizer steps taken on each generated batch (> 1 makes the clipping bite)',
      option.integer(1, { min: 1 }),
    ),
    /**
     * Train LoRA adapters (PEFT's keys) instead of all weights; with `ref_model: null` the reference is then the
     * model with its adapters disabled (no frozen copy), as TRL does with a PEFT model. @defaultValue null
     */
    lora: loraOption(
      "Train LoRA adapters (PEFT's keys) instead of all weights; with `ref_model: null` the reference is then the model with its adapters disabled (no frozen copy)",
    ),
    /** Weights of the reward functions, one per function; null = all 1. @defaultValue null */
    reward_weights: described(
      'Weights of the reward functions (one per function); null = all 1',
      option.nullable(
        option.custom<number[]>(
          [],
          'a list of finite numbers, one per reward function',
          (v) => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x)),
        ),
      ),
    ),
    /** Leave truncated completions (no EOS within the budget) out of the loss (DAPO). @defaultValue false */
    mask_truncated_completions: described(
      'Leave truncated completions (no EOS within max_completion_length) out of the loss (DAPO)',
      option.boolean(false),
    ),
  };
}

/**
 * The option table of `GRPOTrainer`: the shared loop's keys (seed style) plus TRL v1.0 `GRPOConfig`'s:
 * `beta` 0.0, `num_generations` 8, `max_completion_length` 256, `temperature` 1.0, `top_p` 1.0, `epsilon`
 * 0.2, `epsilon_high` = ε, `num_iterations` 1, `loss_type` `'dapo'`, `scale_rewards` `'group'`.
 *
 * @example
 * ```ts
 * const options = resolveOptions('GRPOTrainer', grpoOptionSpecs(), { num_generations: 4 });
 * ```
 */
export function grpoOptionSpecs() {
  return {
    ...sharedOnlineSpecs({ beta: 0, num_generations: 8 }),
    /** How token losses are aggregated: `'grpo'`, `'dr_grpo'`, `'dapo'`, `'bnpo'` (TRL v1.0: `'dapo'`). */
    loss_type: described(
      "How token losses are aggregated: 'grpo' (per-sequence mean), 'dr_grpo' (÷ max_completion_length), 'dapo' (÷ tokens of the step), 'bnpo' (÷ tokens of the micro-batch)",
      option.oneOf<GrpoLossType>('dapo', GRPO_LOSS_TYPES),
    ),
    /** Scale of group-centred rewards: by the group's std, the batch's, or none (TRL v1.0: `'group'`). */
    scale_rewards: described(
      "Scale of the group-centred rewards: 'group' (÷ the group's std), 'batch' (÷ the batch's std), 'none' (Dr. GRPO)",
      option.custom<ScaleRewards | boolean>(
        'group',
        "one of 'group', 'batch', 'none', or true ('group') / false ('none')",
        (v) => typeof v === 'boolean' || (typeof v === 'string' && (SCALE_REWARDS as readonly string[]).includes(v)),
      ),
    ),
  };
}

/**
 * The option table of `RLOOTrainer`: the shared keys plus TRL v1.0 `RLOOConfig`'s: `beta` 0.05 (a KL
 * penalty on the reward), `num_generations` 2, `normalize_advantages` false.
 *
 * @example
 * ```ts
 * const options = resolveOptions('RLOOTrainer', rlooOptionSpecs(), { num_generations: 4 });
 * ```
 */
export function rlooOptionSpecs() {
  return {
    ...sharedOnlineSpecs({ beta: 0.05, num_generations: 2 }),
    /** Normalise the leave-one-out advantages over the batch to mean 0, std 1. @defaultValue false */
    normalize_advantages: described(
      'Normalise the leave-one-out advantages over the batch (mean 0, std 1)',
      option.boolean(false),
    ),
  };
}

/** Options of `GRPOTrainer` as a user passes them (every key optional). */
export type GRPOConfig = OptionConfig<ReturnType<typeof grpoOptionSpecs>>;
/** Every option of `GRPOTrainer`, resolved. */
export type GRPOOptions = OptionValues<ReturnType<typeof grpoOptionSpecs>>;
/** Options of `RLOOTrainer` as a user passes them (every key optional). */
export type RLOOConfig = OptionConfig<ReturnType<typeof rlooOptionSpecs>>;
/** Every option of `RLOOTrainer`, resolved. */
export type RLOOOptions = OptionValues<ReturnType<typeof rlooOptionSpecs>>;
