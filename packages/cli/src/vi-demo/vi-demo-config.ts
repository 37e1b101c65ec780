import { POLITE_RULE_DESCRIPTION } from './polite-rule.js';

/** The `rlhf pipeline` config of the Vietnamese demo (`data/demo/vi/pipeline.json`), paths from the repository root. */
export interface ViDemoPipelineConfig {
  model: string;
  preference_description: string;
  sft_data: string;
  preference_data: string;
  /** Held-out pairs validating the reward-model and DPO stages (their validation curves in the report). */
  preference_val_data: string;
  eval_prompts: string;
  sft_config: Record<string, number>;
  reward_config: Record<string, number | boolean>;
  dpo_config: Record<string, number | boolean>;
  generation: {
    max_new_tokens: number;
    temperature: number;
    top_k: number;
    samples_per_prompt: number;
    seed: number;
  };
}

/**
 * The Vietnamese demo's pipeline config, pointing at the bundle in `dir` (repository-relative; default
 * `data/demo/vi`). Written by `packages/cli/scripts/vi-demo/build-vi-demo-data.mjs` beside the data, so the
 * committed file is what the script writes. The learning rates suit the 2.36M-parameter `vi-llama-3m` and a
 * demo that trains in about a minute on two CPU cores.
 *
 * @example
 * ```ts
 * viDemoPipelineConfig().preference_val_data; // 'data/demo/vi/preferences_val.jsonl'
 * ```
 */
export function viDemoPipelineConfig(dir = 'data/demo/vi'): ViDemoPipelineConfig {
  return {
    model: 'data/models/vi-llama-3m',
    preference_description: POLITE_RULE_DESCRIPTION,
    sft_data: `${dir}/sft.jsonl`,
    preference_data: `${dir}/preferences.jsonl`,
    preference_val_data: `${dir}/preferences_val.jsonl`,
    eval_prompts: `${dir}/eval_prompts.json`,
    sft_config: {
      so_vong: 3,
      kich_thuoc_batch: 8,
      gradient_accumulation: 1,
      toc_do_hoc: 1e-3,
      max_seq_length: 64,
      logging_steps: 4,
      seed: 42,
    },
    // eval_on_start: the held-out pairs are evaluated before the first step too, so each validation curve
    // of the report has a start and an end point (one epoch is evaluated once more, at its end).
    reward_config: {
      so_vong: 1,
      kich_thuoc_batch: 8,
      toc_do_hoc: 1e-3,
      max_seq_length: 64,
      logging_steps: 4,
      eval_on_start: true,
      seed: 42,
    },
    dpo_config: {
      so_vong: 1,
      kich_thuoc_batch: 8,
      gradient_accumulation: 1,
      toc_do_hoc: 1e-4,
      beta: 0.1,
      max_seq_length: 64,
      logging_steps: 4,
      eval_on_start: true,
      seed: 42,
    },
    generation: { max_new_tokens: 24, temperature: 0.7, top_k: 40, samples_per_prompt: 2, seed: 1234 },
  };
}
