import {
  type CheckpointStorage,
  canonicalOptions,
  type OptionSpec,
  OptionSpellingError,
  option,
  resolveOptions,
  TRL_OPTION_ALIASES,
} from '@rlhf/core';
import type { CPOConfig, ORPOConfig } from '@rlhf/cpo';
import type { DPOConfig } from '@rlhf/dpo';
import type { GRPOConfig, RLOOConfig } from '@rlhf/grpo';
import type { KTOConfig } from '@rlhf/kto';
import { GENERATE_OPTION_SNAKE_CASE } from '@rlhf/models';
import type { RewardConfig } from '@rlhf/reward';
import type { SFTConfig } from '@rlhf/sft';

/**
 * The RL stage's methods (`rlhf_method`): `'dpo'` (the specification's), the online `'grpo'` and `'rloo'`, and
 * the offline `'kto'`, `'orpo'` and `'simpo'`.
 */
export type RlhfMethodName = 'dpo' | 'grpo' | 'rloo' | 'kto' | 'orpo' | 'simpo';

/**
 * {@link EvalGenerationConfig} as a user may give it: the snake_case keys, or `generate`'s camelCase names
 * (`maxNewTokens`, `topK`, `topP`) for the same options (one spelling per option).
 */
export type EvalGenerationInput = EvalGenerationConfig & {
  /** `max_new_tokens`. */
  maxNewTokens?: number;
  /** `top_k`. */
  topK?: number;
  /** `top_p`. */
  topP?: number;
};

/** How the evaluation step generates responses. */
export interface EvalGenerationConfig {
  /** @defaultValue 48 */
  max_new_tokens?: number;
  /** 0 is greedy. @defaultValue 0.8 */
  temperature?: number;
  /** @defaultValue 40 */
  top_k?: number;
  /** @defaultValue 1 */
  top_p?: number;
  /** Samples per prompt, before and after DPO. @defaultValue 1 */
  samples_per_prompt?: number;
  /** @defaultValue 1234 */
  seed?: number;
}

/**
 * Options of {@link RLHFPipeline}: the specification's three trainer configs plus the pipeline's own keys.
 *
 * @example
 * ```ts
 * const pipeline = new RLHFPipeline({
 *   sft_config: { so_vong: 1, toc_do_hoc: 1e-3 },
 *   reward_config: { toc_do_hoc: 1e-3 },
 *   dpo_config: { toc_do_hoc: 1e-4, beta: 0.1 },
 *   output_dir: 'runs/demo',
 *   eval_prompts: ['Once upon a time,'],
 * });
 * ```
 */
export interface RLHFPipelineConfig {
  /** Options of the SFT stage (`SFTTrainer`). */
  sft_config?: SFTConfig | null;
  /** Options of the DPO stage (`DPOTrainer`). */
  dpo_config?: DPOConfig | null;
  /** Options of the reward stage (`RewardModel`). */
  reward_config?: RewardConfig | null;
  /**
   * The RL stage's method: `'dpo'` (offline, on the preference pairs; the specification's), `'grpo'` or `'rloo'`
   * (online: the policy samples completions of the preference data's prompts and the trained reward model
   * scores them). @defaultValue 'dpo'
   */
  rlhf_method?: RlhfMethodName;
  /** Options of the RL stage with `rlhf_method: 'grpo'` (`GRPOTrainer`). */
  grpo_config?: GRPOConfig | null;
  /** Options of the RL stage with `rlhf_method: 'rloo'` (`RLOOTrainer`). */
  rloo_config?: RLOOConfig | null;
  /** Options of the RL stage with `rlhf_method: 'kto'` (`KTOTrainer`, on the pairs unpaired). */
  kto_config?: KTOConfig | null;
  /** Options of the RL stage with `rlhf_method: 'orpo'` (`ORPOTrainer`, no reference model). */
  orpo_config?: ORPOConfig | null;
  /** Options of the RL stage with `rlhf_method: 'simpo'` (`CPOTrainer`; `loss_type` 'simpo' and `cpo_alpha` 0 unless given). */
  simpo_config?: CPOConfig | null;
  /** Directory (Node) where each finished stage is stored; needed for `resume`. @defaultValue null */
  output_dir?: string | null;
  /** Where finished stages are stored, instead of `output_dir` (any {@link CheckpointStorage}). */
  stage_storage?: CheckpointStorage | null;
  /**
   * Continue from the last finished stage found in the storage; with `output_dir`, refused when the
   * config or the data differ from the stored run's (SHA-256 of each, kept in the folder's manifest).
   * @defaultValue false
   */
  resume?: boolean;
  /**
   * Allow a new run into an `output_dir` that holds a finished or interrupted run (its content is
   * removed first); without it such a folder is refused. @defaultValue false
   */
  overwrite_output_dir?: boolean;
  /** Copy the policy's weights into `ref_model` after SFT (InstructGPT / DPO papers). @defaultValue true */
  copy_sft_to_ref?: boolean;
  /** Held-out prompts of the evaluation step. @defaultValue null (no evaluation) */
  eval_prompts?: string[] | null;
  /** Generation settings of the evaluation step. */
  eval_generation?: EvalGenerationInput | null;
}

const GENERATION_SPECS = {
  max_new_tokens: option.integer(48, { min: 1 }),
  temperature: option.number(0.8, { min: 0 }),
  top_k: option.integer(40, { min: 0 }),
  top_p: option.number(1, { min: 0, max: 1, minExclusive: true }),
  samples_per_prompt: option.integer(1, { min: 1 }),
  seed: option.integer(1234),
};

const isObjectOrNull = (v: unknown) => v === null || (typeof v === 'object' && !Array.isArray(v));
const objectOrNull = <T>(): OptionSpec<T | null> =>
  option.custom<T | null>(null, 'an options object, or null', isObjectOrNull);

/** Validation table of {@link RLHFPipelineConfig}. */
export const PIPELINE_OPTION_SPECS = {
  /** An options object or `null` (validated by `SFTTrainer`). */
  sft_config: objectOrNull<SFTConfig>(),
  /** An options object or `null` (validated by `DPOTrainer`). */
  dpo_config: objectOrNull<DPOConfig>(),
  /** An options object or `null` (validated by `RewardModel`). */
  reward_config: objectOrNull<RewardConfig>(),
  /** `'dpo'` (default), `'grpo'`, `'rloo'`, `'kto'`, `'orpo'` or `'simpo'`. */
  rlhf_method: option.oneOf<RlhfMethodName>('dpo', ['dpo', 'grpo', 'rloo', 'kto', 'orpo', 'simpo']),
  /** An options object or `null` (validated by `GRPOTrainer`). */
  grpo_config: objectOrNull<GRPOConfig>(),
  /** An options object or `null` (validated by `RLOOTrainer`). */
  rloo_config: objectOrNull<RLOOConfig>(),
  /** An options object or `null` (validated by `KTOTrainer`). */
  kto_config: objectOrNull<KTOConfig>(),
  /** An options object or `null` (validated by `ORPOTrainer`). */
  orpo_config: objectOrNull<ORPOConfig>(),
  /** An options object or `null` (validated by `CPOTrainer`). */
  simpo_config: objectOrNull<CPOConfig>(),
  /** A non-empty path or `null`. */
  output_dir: option.nullable(
    option.custom<string>('', 'a directory path', (v) => typeof v === 'string' && v.length > 0),
  ),
  /** A storage object or `null`. */
  stage_storage: objectOrNull<CheckpointStorage>(),
  /** A boolean, default `false`. */
  resume: option.boolean(false),
  /** A boolean, default `false`. */
  overwrite_output_dir: option.boolean(false),
  /** A boolean, default `true`. */
  copy_sft_to_ref: option.boolean(true),
  /** A non-empty list of strings, or `null`. */
  eval_prompts: option.nullable(
    option.custom<string[]>(
      [],
      'a non-empty list of strings',
      (v) => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string'),
    ),
  ),
  /** An options object or `null` (its keys are validated when resolved). */
  eval_generation: objectOrNull<EvalGenerationInput>(),
};

/** Every pipeline option resolved. */
export interface PipelineOptions {
  /** Options of the SFT stage (`{}` when none were given). */
  sft_config: SFTConfig;
  /** Options of the DPO stage (`{}` when none were given). */
  dpo_config: DPOConfig;
  /** Options of the reward stage (`{}` when none were given). */
  reward_config: RewardConfig;
  /** The RL stage's method. */
  rlhf_method: RlhfMethodName;
  /** Options of the GRPO stage (`{}` when none were given). */
  grpo_config: GRPOConfig;
  /** Options of the RLOO stage (`{}` when none were given). */
  rloo_config: RLOOConfig;
  /** Options of the KTO stage (`{}` when none were given). */
  kto_config: KTOConfig;
  /** Options of the ORPO stage (`{}` when none were given). */
  orpo_config: ORPOConfig;
  /** Options of the SimPO stage (`{}` when none were given). */
  simpo_config: CPOConfig;
  /** Directory where finished stages are stored, or `null`. */
  output_dir: string | null;
  /** Storage of finished stages, instead of `output_dir`, or `null`. */
  stage_storage: CheckpointStorage | null;
  /** Continue from the last finished stage. */
  resume: boolean;
  /** Replace a finished or interrupted run in `output_dir`. */
  overwrite_output_dir: boolean;
  /** Copy the policy into `ref_model` after SFT. */
  copy_sft_to_ref: boolean;
  /** Held-out prompts of the evaluation step (`null`: no evaluation). */
  eval_prompts: string[] | null;
  /** Generation settings of the evaluation step, every default filled in. */
  eval_generation: Required<EvalGenerationConfig>;
}

/**
 * Validates the pipeline's options (unknown keys and bad values throw a `ConfigError` naming the key) and
 * fills defaults. The trainer configs are validated by the trainers themselves.
 *
 * @example
 * ```ts
 * const options = resolvePipelineConfig({ resume: true, output_dir: 'runs/x' });
 * ```
 */
export function resolvePipelineConfig(config: RLHFPipelineConfig = {}): PipelineOptions {
  const o = resolveOptions('RLHFPipeline', PIPELINE_OPTION_SPECS, config);
  return {
    ...o,
    // TRL's names (`learning_rate`, ...) are left for the trainers (their errors name the alias given); both
    // spellings of one option are refused here, before any stage is built.
    sft_config: trainerConfig('RLHFPipeline.sft_config', o.sft_config),
    dpo_config: trainerConfig('RLHFPipeline.dpo_config', o.dpo_config),
    reward_config: trainerConfig('RLHFPipeline.reward_config', o.reward_config),
    grpo_config: trainerConfig('RLHFPipeline.grpo_config', o.grpo_config),
    rloo_config: trainerConfig('RLHFPipeline.rloo_config', o.rloo_config),
    kto_config: trainerConfig('RLHFPipeline.kto_config', o.kto_config),
    orpo_config: trainerConfig('RLHFPipeline.orpo_config', o.orpo_config),
    simpo_config: trainerConfig('RLHFPipeline.simpo_config', o.simpo_config),
    eval_generation: resolveOptions(
      'RLHFPipeline.eval_generation',
      GENERATION_SPECS,
      snakeCaseGeneration(o.eval_generation),
    ),
  };
}

/** A stage's trainer config (`{}` when none), checked for both spellings of one option. */
function trainerConfig<T extends object>(owner: string, config: T | null): T {
  canonicalOptions(owner, (config ?? {}) as Record<string, unknown>, Object.values(TRL_OPTION_ALIASES));
  return config ?? ({} as T);
}

/**
 * The evaluation's generation options with camelCase names (`maxNewTokens`, as `generate` takes them) in the
 * pipeline's snake_case (`max_new_tokens`); both spellings of one option is an {@link OptionSpellingError}.
 */
function snakeCaseGeneration(config: EvalGenerationInput | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const camel = Object.fromEntries(Object.entries(GENERATE_OPTION_SNAKE_CASE).map(([snake, c]) => [c, snake]));
  for (const [name, value] of Object.entries(config ?? {})) {
    const key = camel[name] ?? name;
    if (Object.hasOwn(out, key))
      throw new OptionSpellingError(
        'RLHFPipeline.eval_generation',
        key,
        key === name ? String(Object.keys(camel).find((c) => camel[c] === key)) : name,
      );
    out[key] = value;
  }
  return out;
}
