import {
  type OptionValues,
  option,
  resolveOptions,
  type TrainerConfig,
  type TrainerDefaults,
  trainerOptionSpecs,
} from '@rlhf/core';

/**
 * Options of {@link RewardModel} (the seed's `RewardModel(toc_do_hoc=1e-5, seed=42)`, plus the shared
 * trainer options and the reward-specific extras, all in snake_case). Every key is optional; unknown keys,
 * wrong types and out-of-range values throw a `ConfigError` naming the key.
 *
 * @example
 * ```ts
 * const config: RewardConfig = { toc_do_hoc: 1e-5, seed: 42, kich_thuoc_batch: 8, center_rewards_coefficient: 0.01 };
 * ```
 */
export interface RewardConfig extends TrainerConfig {
  /** Peak learning rate (tốc độ học). @defaultValue 1e-5 (the seed's) */
  toc_do_hoc?: number;
  /** Seed of the run's random generator (head initialisation is the caller's; shuffling here). @defaultValue 42 (the seed's) */
  seed?: number;
  /** Epochs (số vòng) when `huan_luyen` is not given `so_vong`. @defaultValue 1 (the seed's) */
  so_vong?: number;
  /** Pairs per micro-batch (each pair is two sequences in one forward pass). @defaultValue 8 (TRL's) */
  kich_thuoc_batch?: number;
  /** Micro-batches per optimizer step; the loss is the mean over all pairs of the step. @defaultValue 1 */
  gradient_accumulation?: number;
  /** Global gradient-norm clipping; 0 disables. @defaultValue 1.0 */
  gradient_clip?: number;
  /** Share of optimizer steps of linear warm-up. @defaultValue 0.1 */
  warmup_ratio?: number;
  /** Decoupled AdamW weight decay (not on norms and biases). @defaultValue 0.0 (Hugging Face's) */
  weight_decay?: number;
  /** A history record every this many optimizer steps. @defaultValue 10 */
  logging_steps?: number;
  /** Longest prompt + response sequence in tokens; longer pairs are cut as TRL does. @defaultValue 512 */
  max_seq_length?: number;
  /** Longest prompt kept when a pair must be cut. @defaultValue null (⌊max_seq_length / 2⌋) */
  max_prompt_length?: number | null;
  /**
   * λ of the reward-centering term `λ · mean((r_c + r_r)²)` (Eisenstein et al. 2023; TRL suggests 0.01).
   * @defaultValue 0 (off)
   */
  center_rewards_coefficient?: number;
  /** Jinja chat template for conversational pairs when the tokenizer has none. @defaultValue null */
  chat_template?: string | null;
  /** Texts per forward pass in `diem_danh_gia` and when recording μ, σ. @defaultValue 16 */
  scoring_batch_size?: number;
}

/** The seed's defaults and the reward model's choices for the shared options. */
export const REWARD_DEFAULTS: TrainerDefaults = {
  so_vong: 1,
  kich_thuoc_batch: 8,
  toc_do_hoc: 1e-5,
  gradient_accumulation: 1,
  gradient_clip: 1.0,
  warmup_ratio: 0.1,
  weight_decay: 0.0,
  logging_steps: 10,
  seed: 42,
};

/** Every option of {@link RewardConfig} with its default and check. */
export const REWARD_OPTION_SPECS = {
  ...trainerOptionSpecs(REWARD_DEFAULTS),
  /** See {@link RewardConfig.max_seq_length}. */
  max_seq_length: option.integer(512, { min: 2 }),
  /** See {@link RewardConfig.max_prompt_length}. */
  max_prompt_length: option.nullable(option.integer(256, { min: 1 })),
  /** See {@link RewardConfig.center_rewards_coefficient}. */
  center_rewards_coefficient: option.number(0, { min: 0 }),
  /** See {@link RewardConfig.chat_template}. */
  chat_template: option.nullable(
    option.custom<string>('', 'a Jinja template string', (v) => typeof v === 'string' && v.length > 0),
  ),
  /** See {@link RewardConfig.scoring_batch_size}. */
  scoring_batch_size: option.integer(16, { min: 1 }),
};

/** {@link RewardConfig} with every default filled in. */
export type RewardOptions = OptionValues<typeof REWARD_OPTION_SPECS>;

/**
 * Validates reward-model options and fills in defaults; throws a `ConfigError` naming the key (and the
 * nearest known key for a typo).
 *
 * @example
 * ```ts
 * resolveRewardConfig({ toc_do_hoc: 1e-4 }).so_vong; // 1
 * resolveRewardConfig({ toc_do_hocc: 1 }); // throws: RewardModel: option 'toc_do_hocc' ... (did you mean 'toc_do_hoc'?)
 * ```
 */
export function resolveRewardConfig(config: RewardConfig = {}): RewardOptions {
  return resolveOptions('RewardModel', REWARD_OPTION_SPECS, config);
}
