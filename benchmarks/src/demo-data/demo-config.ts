import { type DemoVariant, demoDir } from './paths.js';
import { STORIES260K } from './stories-model.js';

/** Sampling settings of the evaluation step (responses before and after DPO). */
export interface DemoGeneration {
  max_new_tokens: number;
  temperature: number;
  top_k: number;
  /** Responses per prompt and policy. */
  samples_per_prompt: number;
  /** Seed of the first sample of every prompt (sample s uses `seed + s`). */
  seed: number;
}

/**
 * The recommended `rlhf pipeline` config of a demo variant (`data/demo/<variant>/pipeline.json`). Paths are
 * relative to the repository root. The trainer configs are the options objects of `SFTTrainer`,
 * `RewardModel` and `DPOTrainer`; the learning rates are far above the seed's defaults (which suit
 * billion-parameter models), because stories260K has 260K parameters and the demo must learn in minutes.
 */
export interface DemoPipelineConfig {
  model: { format: 'llama2c'; checkpoint: string; tokenizer: string };
  sft_data: string;
  preference_data: string;
  /** Held-out pairs validating the reward-model and DPO stages (their curves in the report). */
  preference_val_data?: string;
  /** What the preference pairs encode, in a sentence (shown at the top of the report). */
  preference_description?: string;
  eval_prompts: string;
  sft_config: Record<string, number | boolean | string>;
  reward_config: Record<string, number | boolean | string>;
  dpo_config: Record<string, number | boolean | string>;
  generation: DemoGeneration;
}

const TRAINER_CONFIGS: Record<
  DemoVariant,
  Pick<DemoPipelineConfig, 'sft_config' | 'reward_config' | 'dpo_config' | 'generation'>
> = {
  en: {
    sft_config: {
      so_vong: 1,
      kich_thuoc_batch: 8,
      gradient_accumulation: 1,
      toc_do_hoc: 1e-3,
      max_seq_length: 96,
      logging_steps: 4,
      seed: 42,
    },
    reward_config: {
      so_vong: 1,
      kich_thuoc_batch: 8,
      toc_do_hoc: 1e-3,
      max_seq_length: 96,
      logging_steps: 4,
      eval_on_start: true,
      seed: 42,
    },
    dpo_config: {
      so_vong: 1,
      kich_thuoc_batch: 8,
      gradient_accumulation: 1,
      toc_do_hoc: 3e-4,
      beta: 0.1,
      max_seq_length: 96,
      logging_steps: 4,
      eval_on_start: true,
      seed: 42,
    },
    generation: { max_new_tokens: 48, temperature: 1, top_k: 40, samples_per_prompt: 2, seed: 1234 },
  },
};

/** Keys of a variant's config beyond the data files and trainer configs. */
const EXTRAS: Record<DemoVariant, Pick<DemoPipelineConfig, 'preference_val_data' | 'preference_description'>> = {
  en: {
    preference_val_data: `${demoDir('en')}/preferences_val.jsonl`,
    preference_description:
      'A happy ending over a sad one: in each pair both responses continue the same story opening; the chosen one has a happy word (happy, smiled, laughed, fun, glad, hugged, …) and no sad one, the rejected one a sad word (sad, cried, angry, scared, hurt, …) and no happy one.',
  },
};

/**
 * The pipeline config of a variant, pointing at its bundle.
 *
 * @example
 * ```ts
 * demoPipelineConfig('en').sft_data; // 'data/demo/en/sft.jsonl'
 * ```
 */
export function demoPipelineConfig(variant: DemoVariant): DemoPipelineConfig {
  const dir = demoDir(variant);
  return {
    model: { format: 'llama2c', checkpoint: STORIES260K.checkpoint, tokenizer: STORIES260K.tokenizer },
    sft_data: `${dir}/sft.jsonl`,
    preference_data: `${dir}/preferences.jsonl`,
    ...EXTRAS[variant],
    eval_prompts: `${dir}/eval_prompts.json`,
    ...TRAINER_CONFIGS[variant],
  };
}
