import {
  type OptionSpec,
  type OptionValues,
  option,
  type TrainerConfig,
  type TrainerDefaults,
  trainerOptionSpecs,
} from '@rlhf/core';
import type { LoraConfig } from '@rlhf/models';
import { DPO_LOSS_TYPES, type DpoLossType } from './losses/registry.js';

/**
 * Options of {@link DPOTrainer}: the seed's keyword arguments (Vietnamese names kept) plus the shared
 * trainer options and DPO's extras in the same snake_case style. Every key is optional.
 *
 * @example
 * ```ts
 * const config: DPOConfig = { so_vong: 1, beta: 0.1, label_smoothing: 0.1, loss_type: 'sigmoid' };
 * ```
 */
export interface DPOConfig extends TrainerConfig {
  /** Number of epochs (số vòng). @defaultValue 1 */
  so_vong?: number;
  /** Preference pairs per micro-batch (kích thước batch); each pair is two sequences. @defaultValue 2 */
  kich_thuoc_batch?: number;
  /** Peak learning rate (tốc độ học). @defaultValue 5e-7 */
  toc_do_hoc?: number;
  /** β: KL regularisation coefficient, the strength of the pull towards the reference (> 0). @defaultValue 0.1 */
  beta?: number;
  /** ε: assumed probability that a preference label is flipped, 0–0.5 (`sigmoid`, `robust`). @defaultValue 0 */
  label_smoothing?: number;
  /** Micro-batches per optimizer step. @defaultValue 4 */
  gradient_accumulation?: number;
  /** Global gradient-norm clipping threshold; 0 disables it. @defaultValue 1.0 */
  gradient_clip?: number;
  /** Longest prompt + response, in tokens; longer pairs are truncated (and counted). @defaultValue 512 */
  max_seq_length?: number;
  /** A history record every this many optimizer steps (and at the last). @defaultValue 10 */
  logging_steps?: number;
  /** Seed of shuffling and adapter initialisation. @defaultValue 42 */
  seed?: number;
  /** Warm-up share of all steps (TRL's default: none). @defaultValue 0 */
  warmup_ratio?: number;
  /** Decoupled AdamW weight decay (TRL's default: none). @defaultValue 0 */
  weight_decay?: number;
  /** Which loss of the registry: `'sigmoid'` (DPO / cDPO), `'ipo'`, `'hinge'`, `'robust'`. @defaultValue 'sigmoid' */
  loss_type?: DpoLossType;
  /**
   * Longest prompt kept when a pair must be truncated (cut from the front, BOS kept); a shorter prompt is
   * kept whole and only the responses are cut. @defaultValue null (half of `max_seq_length`)
   */
  max_prompt_length?: number | null;
  /**
   * Score every pair under the reference once, before training, instead of at every step (saves a forward
   * pass per step; with `ref_model: null` and no LoRA it also avoids the frozen copy). @defaultValue false
   */
  precompute_ref_log_probs?: boolean;
  /**
   * Train LoRA adapters (PEFT's keys) instead of all weights; with `ref_model: null` the reference is then
   * the model with its adapters disabled (no second copy in memory). @defaultValue null
   */
  lora?: LoraConfig | null;
  /** Jinja chat template for conversational records, when the tokenizer has none (or to override it). @defaultValue null */
  chat_template?: string | null;
}

/** The defaults the seed gives `DPOTrainer`, besides the shared ones. */
export interface DPODefaults extends TrainerDefaults {
  /** β. */
  beta: number;
  /** ε. */
  label_smoothing: number;
  /** Longest prompt + response. */
  max_seq_length: number;
}

/** The seed's defaults (and TRL's for the keys the seed does not name). */
export const DPO_DEFAULTS: DPODefaults = {
  so_vong: 1,
  kich_thuoc_batch: 2,
  toc_do_hoc: 5e-7,
  beta: 0.1,
  label_smoothing: 0.0,
  gradient_accumulation: 4,
  gradient_clip: 1.0,
  max_seq_length: 512,
  logging_steps: 10,
  seed: 42,
  warmup_ratio: 0,
  weight_decay: 0,
};

const LORA_KEYS = new Set(['r', 'lora_alpha', 'lora_dropout', 'target_modules']);

const loraSpec: OptionSpec<LoraConfig | null> = option.nullable(
  option.custom<LoraConfig>(
    {},
    'a LoRA config object with keys r, lora_alpha, lora_dropout, target_modules',
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).every((k) => LORA_KEYS.has(k)),
  ),
);

/**
 * The option specs of {@link DPOTrainer}: the shared trainer options with the seed's DPO defaults, and
 * DPO's own. `beta ≤ 0` and `label_smoothing` outside 0–0.5 are rejected naming the key.
 *
 * @example
 * ```ts
 * const options = resolveOptions('DPOTrainer', dpoOptionSpecs(), { beta: 0.2 });
 * ```
 */
export function dpoOptionSpecs() {
  return {
    ...trainerOptionSpecs(DPO_DEFAULTS),
    /** β > 0. */
    beta: option.number(DPO_DEFAULTS.beta, { min: 0, minExclusive: true }),
    /** ε in [0, 0.5]. */
    label_smoothing: option.number(DPO_DEFAULTS.label_smoothing, { min: 0, max: 0.5 }),
    /** An integer ≥ 2. */
    max_seq_length: option.integer(DPO_DEFAULTS.max_seq_length, { min: 2 }),
    /** A key of the loss registry. */
    loss_type: option.oneOf<DpoLossType>('sigmoid', DPO_LOSS_TYPES),
    /** An integer ≥ 1 (checked < max_seq_length by the trainer), or null. */
    max_prompt_length: option.nullable(option.integer(1, { min: 1 })),
    /** true or false. */
    precompute_ref_log_probs: option.boolean(false),
    /** A LoRA config (PEFT keys), or null. */
    lora: loraSpec,
    /** A Jinja template, or null. */
    chat_template: option.nullable(
      option.custom<string>('', 'a Jinja template string', (v) => typeof v === 'string' && v.length > 0),
    ),
  };
}

/** Every option of {@link DPOConfig}, resolved (defaults filled in). */
export type DPOOptions = OptionValues<ReturnType<typeof dpoOptionSpecs>>;
