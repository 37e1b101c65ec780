import { described, type OptionConfig, type OptionValues, option, trainerOptionSpecs } from '@rlhf/core';
import { CPO_LOSS_TYPES, type CpoLossType } from './losses/registry.js';
import { betaOption, pairDataOptionSpecs } from './pair-data-options.js';

/**
 * The defaults of `CPOTrainer`: the specification's for the keys it shares with `DPOTrainer` (`so_vong 1,
 * kich_thuoc_batch 2, gradient_accumulation 4, gradient_clip 1.0, max_seq_length 512, logging_steps 10,
 * seed 42`), TRL's `CPOConfig` for the rest (`learning_rate 1e-6`, `beta 0.1`, `label_smoothing 0`,
 * `loss_type 'sigmoid'`, `cpo_alpha 1.0`, `simpo_gamma 0.5`; TRL main 1.1.0.dev0,
 * `trl/experimental/cpo/cpo_config.py`).
 */
export const CPO_DEFAULTS = {
  /** Epochs (số vòng). */
  so_vong: 1,
  /** Pairs per micro-batch (kích thước batch). */
  kich_thuoc_batch: 2,
  /** Peak learning rate (tốc độ học): TRL's `CPOConfig.learning_rate`. */
  toc_do_hoc: 1e-6,
  /** β, the temperature of the preference term. */
  beta: 0.1,
  /** ε, label smoothing. */
  label_smoothing: 0.0,
  /** Weight of the chosen NLL (behaviour-cloning) term; SimPO: 0. */
  cpo_alpha: 1.0,
  /** γ, SimPO's target reward margin. */
  simpo_gamma: 0.5,
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

/** The defaults `CPOTrainer` starts from (see {@link CPO_DEFAULTS}). */
export type CPODefaults = typeof CPO_DEFAULTS;

/**
 * The one option table of `CPOTrainer`: the shared trainer options with {@link CPO_DEFAULTS}, TRL's
 * `CPOConfig` keys (`beta`, `label_smoothing`, `loss_type`, `cpo_alpha`, `simpo_gamma`) and the pair options.
 * SimPO is `loss_type: 'simpo'` with `cpo_alpha: 0`, as in TRL.
 *
 * @example
 * ```ts
 * const options = resolveOptions('CPOTrainer', cpoOptionSpecs(), { loss_type: 'simpo', cpo_alpha: 0 });
 * ```
 */
export function cpoOptionSpecs() {
  return {
    ...trainerOptionSpecs(CPO_DEFAULTS),
    /** β: temperature of the preference term (IPO's τ; > 0, a normal float32). @defaultValue 0.1 */
    beta: betaOption(CPO_DEFAULTS.beta, "β: temperature of the preference term (IPO's τ; > 0, a normal float32)"),
    /** ε: assumed probability that a preference label is flipped, 0–0.5 (`sigmoid`, `simpo`). @defaultValue 0 */
    label_smoothing: described(
      'ε: assumed probability that a preference label is flipped, 0–0.5 (`sigmoid`, `simpo`)',
      option.number(CPO_DEFAULTS.label_smoothing, { min: 0, max: 0.5 }),
    ),
    /** Which loss: `'sigmoid'` (CPO), `'hinge'`, `'ipo'`, `'simpo'` (with `cpo_alpha: 0`: SimPO). @defaultValue 'sigmoid' */
    loss_type: described(
      "Which loss: `'sigmoid'` (CPO), `'hinge'`, `'ipo'`, `'simpo'` (with `cpo_alpha: 0`: SimPO)",
      option.oneOf<CpoLossType>('sigmoid', CPO_LOSS_TYPES),
    ),
    /** Weight of the chosen response's NLL (the behaviour-cloning term), ≥ 0; SimPO uses 0. @defaultValue 1 */
    cpo_alpha: described(
      "Weight of the chosen response's NLL (the behaviour-cloning term), ≥ 0; SimPO uses 0",
      option.number(CPO_DEFAULTS.cpo_alpha, { min: 0 }),
    ),
    /** γ: SimPO's target reward margin, ≥ 0 (`loss_type: 'simpo'` only). @defaultValue 0.5 */
    simpo_gamma: described(
      "γ: SimPO's target reward margin, ≥ 0 (`loss_type: 'simpo'` only)",
      option.number(CPO_DEFAULTS.simpo_gamma, { min: 0 }),
    ),
    ...pairDataOptionSpecs(CPO_DEFAULTS.max_seq_length),
  };
}

/**
 * Options of `CPOTrainer`: the specification's keyword arguments (Vietnamese names kept), the shared trainer options
 * and CPO's in TRL's names, every key optional. Derived from {@link cpoOptionSpecs}.
 *
 * @example
 * ```ts
 * const simpo: CPOConfig = { loss_type: 'simpo', cpo_alpha: 0, beta: 2, simpo_gamma: 0.5 };
 * ```
 */
export type CPOConfig = OptionConfig<ReturnType<typeof cpoOptionSpecs>>;

/** Every option of {@link CPOConfig}, resolved (defaults filled in). */
export type CPOOptions = OptionValues<ReturnType<typeof cpoOptionSpecs>>;
