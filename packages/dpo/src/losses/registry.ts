import { ConfigError } from '@rlhf/core';
import type { DpoLossDefinition } from './dpo-loss.js';
import { HINGE_LOSS } from './hinge.js';
import { IPO_LOSS } from './ipo.js';
import { ROBUST_LOSS } from './robust.js';
import { SIGMOID_LOSS } from './sigmoid.js';

/**
 * Every DPO-family loss by `loss_type`: one small function per file, looked up here — never an if-chain.
 * Add a loss by writing its file and one line below.
 *
 * @example
 * ```ts
 * const losses = DPO_LOSSES.ipo.loss(delta, { beta: 0.1, label_smoothing: 0 });
 * ```
 */
export const DPO_LOSSES = {
  /** DPO / conservative DPO (the default). */
  sigmoid: SIGMOID_LOSS,
  /** Identity preference optimisation. */
  ipo: IPO_LOSS,
  /** SLiC's hinge. */
  hinge: HINGE_LOSS,
  /** Robust DPO under label noise. */
  robust: ROBUST_LOSS,
} as const satisfies Record<string, DpoLossDefinition>;

/** A registered loss name: `'sigmoid'` (the default), `'ipo'`, `'hinge'`, `'robust'`. */
export type DpoLossType = keyof typeof DPO_LOSSES;

/** The registered names, in registry order. */
export const DPO_LOSS_TYPES = Object.keys(DPO_LOSSES) as DpoLossType[];

/**
 * The registry entry for `name`; an unknown name throws a {@link ConfigError} naming `loss_type` and
 * the known names.
 *
 * @example
 * ```ts
 * dpoLoss('hinge').formula; // 'L = max(0, 1 − βΔ)'
 * ```
 */
export function dpoLoss(name: string): DpoLossDefinition {
  if (!Object.hasOwn(DPO_LOSSES, name)) {
    throw new ConfigError('DPOTrainer', 'loss_type', name, `one of ${DPO_LOSS_TYPES.map((t) => `'${t}'`).join(', ')}`);
  }
  return DPO_LOSSES[name as DpoLossType];
}
