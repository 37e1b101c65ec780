import { described, type OptionConfig, type OptionValues, option, trainerOptionSpecs } from '@rlhf/core';
import { BETA_BOUNDS, DPO_DEFAULTS } from '@rlhf/dpo';
import { loraOption } from '@rlhf/models';
import { KTO_LOSS_TYPES, type KtoLossType } from './losses/kto-loss.js';

/**
 * The defaults of `KTOTrainer`: the specification's preference-training defaults (`DPOTrainer`'s) for the shared keys,
 * except where TRL's `KTOConfig` (trl/trainer/kto_config.py, TRL 1.x) or the KL estimate need otherwise.
 */
export const KTO_DEFAULTS = {
  /** Epochs (số vòng): the specification's 1. */
  so_vong: DPO_DEFAULTS.so_vong,
  /**
   * Examples per micro-batch (kích thước batch): 8, `TrainingArguments.per_device_train_batch_size`'s default.
   * The KL reference point is estimated inside each micro-batch, so it needs at least 2 (TRL refuses 1).
   */
  kich_thuoc_batch: 8,
  /** Peak learning rate (tốc độ học): `KTOConfig.learning_rate` = 1e-6. */
  toc_do_hoc: 1e-6,
  /** β: `KTOConfig.beta` = 0.1. */
  beta: 0.1,
  /** λ_D, the weight of desirable examples' losses: `KTOConfig.desirable_weight` = 1.0. */
  desirable_weight: 1.0,
  /** λ_U, the weight of undesirable examples' losses: `KTOConfig.undesirable_weight` = 1.0. */
  undesirable_weight: 1.0,
  /** Micro-batches per optimizer step: the specification's 4. */
  gradient_accumulation: DPO_DEFAULTS.gradient_accumulation,
  /** Global gradient-norm clip: the specification's 1.0. */
  gradient_clip: DPO_DEFAULTS.gradient_clip,
  /** Longest prompt + completion: `KTOConfig.max_length` = 1024. */
  max_seq_length: 1024,
  /** Optimizer steps between history records: `KTOConfig.logging_steps` = 10. */
  logging_steps: 10,
  /** Seed of the run's generator: the specification's 42. */
  seed: DPO_DEFAULTS.seed,
  /** Warm-up share (TRL's default: none). */
  warmup_ratio: 0,
  /** AdamW decoupled weight decay (TRL's default: none). */
  weight_decay: 0,
};

/** The defaults of {@link KTO_DEFAULTS}' type. */
export type KTODefaults = typeof KTO_DEFAULTS;

/**
 * The one option table of `KTOTrainer`: the shared trainer options with {@link KTO_DEFAULTS}, and KTO's own
 * (TRL `KTOConfig`'s names: `beta`, `desirable_weight`, `undesirable_weight`, `loss_type`; `max_length` is
 * accepted as the alias of `max_seq_length`). {@link KTOConfig}, {@link KTOOptions} and the validation derive
 * from it; the CLI's `rlhf kto` flags and `--config` keys too.
 *
 * @example
 * ```ts
 * const options = resolveOptions('KTOTrainer', ktoOptionSpecs(), { beta: 0.2, undesirable_weight: 1.33 });
 * ```
 */
export function ktoOptionSpecs() {
  return {
    ...trainerOptionSpecs(KTO_DEFAULTS),
    /** β: how strongly the policy is held near the reference (> 0, a normal float32). @defaultValue 0.1 */
    beta: described(
      'β: how strongly the policy is held near the reference; the implied reward is β·log π_θ/π_ref (> 0, a normal float32)',
      option.custom<number>(
        KTO_DEFAULTS.beta,
        `a number > 0 (a normal float32, in [${BETA_BOUNDS.min}, ${BETA_BOUNDS.max}])`,
        (v) => typeof v === 'number' && v >= BETA_BOUNDS.min && v <= BETA_BOUNDS.max,
      ),
    ),
    /** λ_D: weight of the desirable examples' losses (counter an unequal number of desirable and undesirable examples). @defaultValue 1.0 */
    desirable_weight: described(
      "λ_D: weight of the desirable examples' losses (counters unequal numbers of desirable and undesirable examples)",
      option.number(KTO_DEFAULTS.desirable_weight, { min: 0 }),
    ),
    /** λ_U: weight of the undesirable examples' losses. @defaultValue 1.0 */
    undesirable_weight: described(
      "λ_U: weight of the undesirable examples' losses",
      option.number(KTO_DEFAULTS.undesirable_weight, { min: 0 }),
    ),
    /** Which loss: `'kto'` (Ethayarajh et al. 2024) or `'apo_zero_unpaired'` (D'Oosterlinck et al. 2024, no KL term). @defaultValue 'kto' */
    loss_type: described(
      "Which loss: 'kto' (with the KL reference point) or 'apo_zero_unpaired' (no KL term)",
      option.oneOf<KtoLossType>('kto', KTO_LOSS_TYPES),
    ),
    /** Longest prompt + completion, in tokens; longer examples are truncated (and counted). @defaultValue 1024 */
    max_seq_length: described(
      'Longest prompt + completion, in tokens; longer examples are truncated (and counted)',
      option.integer(KTO_DEFAULTS.max_seq_length, { min: 2 }),
    ),
    /**
     * Longest prompt kept when an example must be truncated (cut from the front, BOS kept); a shorter prompt is
     * kept whole and only the completion is cut; < max_seq_length. @defaultValue null (half of `max_seq_length`)
     */
    max_prompt_length: described(
      'Longest prompt kept when an example must be truncated (cut from the front, BOS kept); a shorter prompt is kept whole and only the completion is cut; < max_seq_length',
      option.nullable(option.integer(1, { min: 1 })),
    ),
    /**
     * Train LoRA adapters (PEFT's keys) instead of all weights; with `ref_model: null` the reference is then the
     * model with its adapters disabled (no second copy in memory), as TRL does with a PEFT model. @defaultValue null
     */
    lora: loraOption(
      "Train LoRA adapters (PEFT's keys) instead of all weights; with `ref_model: null` the reference is then the model with its adapters disabled (no second copy in memory)",
    ),
    /** Jinja chat template for conversational records, when the tokenizer has none (or to override it). @defaultValue null */
    chat_template: described(
      'Jinja chat template for conversational records, when the tokenizer has none (or to override it)',
      option.nullable(
        option.custom<string>('', 'a Jinja template string', (v) => typeof v === 'string' && v.length > 0),
      ),
    ),
  };
}

/**
 * Options of `KTOTrainer`: the specification's keyword arguments (Vietnamese names kept), the shared trainer options
 * and KTO's own in TRL's snake_case. Every key is optional. Derived from {@link ktoOptionSpecs}.
 *
 * @example
 * ```ts
 * const config: KTOConfig = { so_vong: 1, beta: 0.1, desirable_weight: 1.0, undesirable_weight: 1.33 };
 * ```
 */
export type KTOConfig = OptionConfig<ReturnType<typeof ktoOptionSpecs>>;

/** Every option of {@link KTOConfig}, resolved (defaults filled in). */
export type KTOOptions = OptionValues<ReturnType<typeof ktoOptionSpecs>>;
