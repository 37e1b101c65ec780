import {
  described,
  type OptionConfig,
  type OptionValues,
  option,
  resolveOptions,
  type TrainerDefaults,
  trainerOptionSpecs,
} from '@rlhf/core';

/** The specification's defaults and the reward model's choices for the shared options. */
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

/**
 * The one option table of {@link RewardModel}: the shared trainer options (the specification's `toc_do_hoc` 1e-5 and
 * `seed` 42, `so_vong` 1, TRL's batch of 8, ...) and the reward extras, each with its default and check;
 * {@link RewardConfig}, {@link RewardOptions} and the validation derive from it.
 */
export const REWARD_OPTION_SPECS = {
  ...trainerOptionSpecs(REWARD_DEFAULTS),
  /** Longest prompt + response sequence in tokens; longer pairs are cut as TRL does. @defaultValue 512 */
  max_seq_length: described(
    'Longest prompt + response sequence in tokens; longer pairs are cut as TRL does',
    option.integer(512, { min: 2 }),
  ),
  /** Longest prompt kept when a pair must be cut. @defaultValue null (⌊max_seq_length / 2⌋) */
  max_prompt_length: described(
    'Longest prompt kept when a pair must be cut',
    option.nullable(option.integer(256, { min: 1 })),
  ),
  /**
   * λ of the reward-centering term `λ · mean((r_c + r_r)²)` (Eisenstein et al. 2023; TRL suggests 0.01).
   * @defaultValue 0 (off)
   */
  center_rewards_coefficient: described(
    'λ of the reward-centering term `λ · mean((r_c + r_r)²)` (Eisenstein et al. 2023)',
    option.number(0, { min: 0 }),
  ),
  /** Jinja chat template for conversational pairs when the tokenizer has none. @defaultValue null */
  chat_template: described(
    'Jinja chat template for conversational pairs when the tokenizer has none',
    option.nullable(option.custom<string>('', 'a Jinja template string', (v) => typeof v === 'string' && v.length > 0)),
  ),
  /** Texts per forward pass in `diem_danh_gia` and when recording μ, σ. @defaultValue 16 */
  scoring_batch_size: described(
    'Texts per forward pass in `diem_danh_gia` and when recording μ, σ',
    option.integer(16, { min: 1 }),
  ),
};

/**
 * Options of {@link RewardModel} (the specification's `RewardModel(toc_do_hoc=1e-5, seed=42)`, plus the shared
 * trainer options and the reward-specific extras, all in snake_case). Every key is optional; unknown keys,
 * wrong types and out-of-range values throw a `ConfigError` naming the key. Derived from
 * {@link REWARD_OPTION_SPECS}.
 *
 * @example
 * ```ts
 * const config: RewardConfig = { toc_do_hoc: 1e-5, seed: 42, kich_thuoc_batch: 8, center_rewards_coefficient: 0.01 };
 * ```
 */
export type RewardConfig = OptionConfig<typeof REWARD_OPTION_SPECS>;

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
