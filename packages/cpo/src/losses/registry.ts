import { ConfigError } from '@rlhf/core';
import { CPO_HINGE_LOSS } from './cpo-hinge.js';
import { CPO_IPO_LOSS } from './cpo-ipo.js';
import type { CpoLossDefinition } from './cpo-loss.js';
import { CPO_SIGMOID_LOSS } from './cpo-sigmoid.js';
import { SIMPO_LOSS } from './simpo.js';

/**
 * Every `CPOTrainer` loss by `loss_type` (TRL's `CPOConfig.loss_type` values): one small function per file,
 * looked up here.
 *
 * @example
 * ```ts
 * const losses = CPO_LOSSES.simpo.loss(hMean, { beta: 2, label_smoothing: 0, simpo_gamma: 0.5 });
 * ```
 */
export const CPO_LOSSES = {
  /** CPO (the default): DPO's sigmoid loss without a reference. */
  sigmoid: CPO_SIGMOID_LOSS,
  /** SLiC's hinge. */
  hinge: CPO_HINGE_LOSS,
  /** IPO's squared loss on averaged log-probs. */
  ipo: CPO_IPO_LOSS,
  /** SimPO: length-normalised rewards and a target margin γ. */
  simpo: SIMPO_LOSS,
} as const satisfies Record<string, CpoLossDefinition>;

/** A registered `CPOTrainer` loss name: `'sigmoid'` (the default), `'hinge'`, `'ipo'`, `'simpo'`. */
export type CpoLossType = keyof typeof CPO_LOSSES;

/** The registered names, in registry order. */
export const CPO_LOSS_TYPES = Object.keys(CPO_LOSSES) as CpoLossType[];

/**
 * The registry entry for `name`; an unknown name throws a {@link ConfigError} naming `loss_type` and the
 * known names.
 *
 * @example
 * ```ts
 * cpoLoss('simpo').lengthNormalized; // true
 * ```
 */
export function cpoLoss(name: string): CpoLossDefinition {
  if (!Object.hasOwn(CPO_LOSSES, name)) {
    throw new ConfigError('CPOTrainer', 'loss_type', name, `one of ${CPO_LOSS_TYPES.map((t) => `'${t}'`).join(', ')}`);
  }
  return CPO_LOSSES[name as CpoLossType];
}
