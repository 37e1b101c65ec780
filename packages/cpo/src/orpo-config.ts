import { type OptionConfig, type OptionValues, trainerOptionSpecs } from '@rlhf/core';
import { betaOption, pairDataOptionSpecs } from './pair-data-options.js';

/**
 * The defaults of `ORPOTrainer`: the specification's for the keys it shares with `DPOTrainer` (`so_vong 1,
 * kich_thuoc_batch 2, gradient_accumulation 4, gradient_clip 1.0, max_seq_length 512, logging_steps 10,
 * seed 42`), TRL's `ORPOConfig` for the rest (`learning_rate 1e-6`, `beta` = λ `0.1`; TRL main 1.1.0.dev0,
 * `trl/experimental/orpo/orpo_config.py`).
 */
export const ORPO_DEFAULTS = {
  /** Epochs (số vòng). */
  so_vong: 1,
  /** Pairs per micro-batch (kích thước batch). */
  kich_thuoc_batch: 2,
  /** Peak learning rate (tốc độ học): TRL's `ORPOConfig.learning_rate`. */
  toc_do_hoc: 1e-6,
  /** λ, the weight of the odds-ratio term (TRL's name: `beta`). */
  beta: 0.1,
  /** Micro-batches per optimizer step. */
  gradient_accumulation: 4,
  /** Global gradient-norm clip. */
  gradient_clip: 1.0,
  /** Longest prompt + response. */
  max_seq_length: 512,
  /** Optimizer steps between history records. */
  logging_steps: 10,
  /** Seed of the run's generator. */
  seed: 42,
  /** Warm-up share (TRL's default: none). */
  warmup_ratio: 0,
  /** AdamW decoupled weight decay (TRL's default: none). */
  weight_decay: 0,
};

/** The defaults `ORPOTrainer` starts from (see {@link ORPO_DEFAULTS}). */
export type ORPODefaults = typeof ORPO_DEFAULTS;

/**
 * The one option table of `ORPOTrainer`: the shared trainer options with {@link ORPO_DEFAULTS}, λ (named
 * `beta`, as TRL's `ORPOConfig` names it) and the pair options (`max_seq_length`, `max_prompt_length`,
 * `chat_template`). There is no `ref_model`, `loss_type` or `label_smoothing`: ORPO has one objective and
 * no reference.
 *
 * @example
 * ```ts
 * const options = resolveOptions('ORPOTrainer', orpoOptionSpecs(), { beta: 0.2 });
 * ```
 */
export function orpoOptionSpecs() {
  return {
    ...trainerOptionSpecs(ORPO_DEFAULTS),
    /** λ: weight of the odds-ratio term beside the chosen NLL (TRL's `beta`; > 0, a normal float32). @defaultValue 0.1 */
    beta: betaOption(
      ORPO_DEFAULTS.beta,
      "λ: weight of the odds-ratio term beside the chosen NLL (TRL's `beta`; > 0, a normal float32)",
    ),
    ...pairDataOptionSpecs(ORPO_DEFAULTS.max_seq_length),
  };
}

/**
 * Options of `ORPOTrainer`: the specification's keyword arguments (Vietnamese names kept), the shared trainer options
 * and ORPO's, every key optional. Derived from {@link orpoOptionSpecs}.
 *
 * @example
 * ```ts
 * const config: ORPOConfig = { so_vong: 1, beta: 0.1, toc_do_hoc: 8e-6 };
 * ```
 */
export type ORPOConfig = OptionConfig<ReturnType<typeof orpoOptionSpecs>>;

/** Every option of {@link ORPOConfig}, resolved (defaults filled in). */
export type ORPOOptions = OptionValues<ReturnType<typeof orpoOptionSpecs>>;
