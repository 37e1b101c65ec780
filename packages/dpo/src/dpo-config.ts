import { described, type OptionConfig, type OptionValues, option, trainerOptionSpecs } from '@rlhf/core';
import { loraOption } from '@rlhf/models';
import { DISCOPOP_TAU } from './losses/discopop.js';
import { DPO_LOSS_NAMES, DPO_LOSS_TYPES, type DpoLossType } from './losses/registry.js';

/** The specification's defaults of `DPOTrainer` (and TRL's for the keys the specification does not name). */
export const DPO_DEFAULTS = {
  /** Epochs (số vòng). */
  so_vong: 1,
  /** Pairs per micro-batch (kích thước batch). */
  kich_thuoc_batch: 2,
  /** Peak learning rate (tốc độ học). */
  toc_do_hoc: 5e-7,
  /** β, the KL regularisation coefficient. */
  beta: 0.1,
  /** ε, label smoothing. */
  label_smoothing: 0.0,
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

/** The defaults the specification gives `DPOTrainer`: the shared ones, β, ε and the sequence length. */
export type DPODefaults = typeof DPO_DEFAULTS;

/**
 * Bounds of β: a normal float32 (the loss runs in float32), so neither `β·Δ` of a finite Δ nor IPO's
 * `1/(2β)` is born infinite or zero from the option alone (1e308 or 1e-300 would be).
 */
export const BETA_BOUNDS = {
  /** The smallest normal float32. */
  min: 1.1754944e-38,
  /** The largest finite float32. */
  max: 3.4028235e38,
} as const;

const isLossName = (v: unknown): v is DpoLossType => typeof v === 'string' && (DPO_LOSS_TYPES as string[]).includes(v);

/** What `loss_type` accepts, for messages and `--help`. */
const LOSS_TYPE_ALLOWED = `one of ${DPO_LOSS_NAMES}, or a non-empty list of them (added up, weighted by loss_weights)`;

/**
 * The one option table of {@link DPOTrainer}: the shared trainer options with the specification's DPO defaults, and
 * DPO's own; {@link DPOConfig}, {@link DPOOptions} and the validation derive from it. β outside a normal
 * float32 ({@link BETA_BOUNDS}) and `label_smoothing` outside 0–0.5 are rejected naming the key.
 *
 * @example
 * ```ts
 * const options = resolveOptions('DPOTrainer', dpoOptionSpecs(), { beta: 0.2 });
 * ```
 */
export function dpoOptionSpecs() {
  return {
    ...trainerOptionSpecs(DPO_DEFAULTS),
    /** β: KL regularisation coefficient, the strength of the pull towards the reference (> 0, a normal float32). @defaultValue 0.1 */
    beta: described(
      'β: KL regularisation coefficient, the strength of the pull towards the reference (> 0, a normal float32)',
      option.custom<number>(
        DPO_DEFAULTS.beta,
        `a number > 0 (a normal float32, in [${BETA_BOUNDS.min}, ${BETA_BOUNDS.max}])`,
        (v) => typeof v === 'number' && v >= BETA_BOUNDS.min && v <= BETA_BOUNDS.max,
      ),
    ),
    /** ε: assumed probability that a preference label is flipped, 0–0.5 (`sigmoid`, `robust`). @defaultValue 0 */
    label_smoothing: described(
      'ε: assumed probability that a preference label is flipped, 0–0.5 (`sigmoid`, `robust`)',
      option.number(DPO_DEFAULTS.label_smoothing, { min: 0, max: 0.5 }),
    ),
    /** Longest prompt + response, in tokens; longer pairs are truncated (and counted). @defaultValue 512 */
    max_seq_length: described(
      'Longest prompt + response, in tokens; longer pairs are truncated (and counted)',
      option.integer(DPO_DEFAULTS.max_seq_length, { min: 2 }),
    ),
    /**
     * Which loss of the registry — TRL's 15: `'sigmoid'` (DPO / cDPO), `'hinge'`, `'ipo'`, `'exo_pair'`,
     * `'nca_pair'`, `'robust'`, `'bco_pair'`, `'sppo_hard'`, `'aot'`, `'aot_unpaired'`, `'apo_zero'`, `'apo_down'`,
     * `'discopop'`, `'sft'`, `'sigmoid_norm'` — or a list of them, added up with `loss_weights` (MPO:
     * `['sigmoid', 'bco_pair', 'sft']`). @defaultValue 'sigmoid'
     */
    loss_type: described(
      'Which DPO-family loss (TRL\'s loss_type), or a JSON list of them added up with loss_weights (MPO: ["sigmoid","bco_pair","sft"])',
      option.custom<DpoLossType | DpoLossType[]>(
        'sigmoid',
        LOSS_TYPE_ALLOWED,
        (v) => isLossName(v) || (Array.isArray(v) && v.length > 0 && v.every(isLossName)),
      ),
    ),
    /**
     * Weights of the `loss_type` list, one per entry (TRL: the objective is `Σ_k w_k · mean L_k`); finite,
     * ≥ 0, not all 0. @defaultValue null (1 for each)
     */
    loss_weights: described(
      'Weights of the loss_type list, one per entry (the objective is Σ_k w_k · mean L_k); finite, ≥ 0, not all 0; null: 1 each',
      option.nullable(
        option.custom<number[]>(
          [],
          'a non-empty list of finite numbers ≥ 0, not all 0, one per loss_type entry',
          (v) =>
            Array.isArray(v) &&
            v.length > 0 &&
            v.every((w) => typeof w === 'number' && Number.isFinite(w) && w >= 0) &&
            v.some((w) => w > 0),
        ),
      ),
    ),
    /** τ of the `discopop` loss: the temperature of its log-ratio modulation σ(βΔ/τ) (> 0). @defaultValue 0.05 */
    discopop_tau: described(
      'τ of the discopop loss: the temperature of its log-ratio modulation σ(βΔ/τ) (> 0)',
      option.number(DISCOPOP_TAU, { min: 0, minExclusive: true }),
    ),
    /**
     * Longest prompt kept when a pair must be truncated (cut from the front, BOS kept); a shorter prompt is
     * kept whole and only the responses are cut; < max_seq_length. @defaultValue null (half of `max_seq_length`)
     */
    max_prompt_length: described(
      'Longest prompt kept when a pair must be truncated (cut from the front, BOS kept); a shorter prompt is kept whole and only the responses are cut; < max_seq_length',
      option.nullable(option.integer(1, { min: 1 })),
    ),
    /**
     * Score every pair under the reference once, before training, instead of at every step (saves a forward
     * pass per step; with `ref_model: null` and no LoRA it also avoids the frozen copy). @defaultValue false
     */
    precompute_ref_log_probs: described(
      'Score every pair under the reference once, before training, instead of at every step (saves a forward pass per step; with `ref_model: null` and no LoRA it also avoids the frozen copy)',
      option.boolean(false),
    ),
    /**
     * Train LoRA adapters (PEFT's keys) instead of all weights; with `ref_model: null` the reference is then
     * the model with its adapters disabled (no second copy in memory). @defaultValue null
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
 * Options of {@link DPOTrainer}: the specification's keyword arguments (Vietnamese names kept) plus the shared
 * trainer options and DPO's extras in the same snake_case style. Every key is optional. Derived from
 * {@link dpoOptionSpecs}.
 *
 * @example
 * ```ts
 * const config: DPOConfig = { so_vong: 1, beta: 0.1, label_smoothing: 0.1, loss_type: 'sigmoid' };
 * ```
 */
export type DPOConfig = OptionConfig<ReturnType<typeof dpoOptionSpecs>>;

/** Every option of {@link DPOConfig}, resolved (defaults filled in). */
export type DPOOptions = OptionValues<ReturnType<typeof dpoOptionSpecs>>;
