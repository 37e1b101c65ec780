import { ConfigError } from '@rlhf/core';
import { AOT_LOSS } from './aot.js';
import { AOT_UNPAIRED_LOSS } from './aot-unpaired.js';
import { APO_DOWN_LOSS } from './apo-down.js';
import { APO_ZERO_LOSS } from './apo-zero.js';
import { BCO_PAIR_LOSS } from './bco-pair.js';
import { DISCOPOP_LOSS } from './discopop.js';
import type { DpoLossDefinition } from './dpo-loss.js';
import { EXO_PAIR_LOSS } from './exo-pair.js';
import { HINGE_LOSS } from './hinge.js';
import { IPO_LOSS } from './ipo.js';
import { NCA_PAIR_LOSS } from './nca-pair.js';
import { ROBUST_LOSS } from './robust.js';
import { SFT_LOSS } from './sft.js';
import { SIGMOID_LOSS } from './sigmoid.js';
import { SIGMOID_NORM_LOSS } from './sigmoid-norm.js';
import { SPPO_HARD_LOSS } from './sppo-hard.js';

/**
 * Every DPO-family loss by `loss_type` — the 15 of TRL's `DPOConfig.loss_type`: one small function per
 * file, looked up here — never an if-chain. Add a loss by writing its file and one line below.
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
  /** EXO, pairwise. */
  exo_pair: EXO_PAIR_LOSS,
  /** Noise-contrastive alignment, pairwise. */
  nca_pair: NCA_PAIR_LOSS,
  /** Binary classifier optimisation, pairwise (running mean of rewards). */
  bco_pair: BCO_PAIR_LOSS,
  /** Self-play preference optimisation with hard labels. */
  sppo_hard: SPPO_HARD_LOSS,
  /** Alignment via optimal transport, paired (sorts the batch). */
  aot: AOT_LOSS,
  /** Alignment via optimal transport, unpaired (sorts the batch). */
  aot_unpaired: AOT_UNPAIRED_LOSS,
  /** Anchored preference optimisation: chosen up, rejected down. */
  apo_zero: APO_ZERO_LOSS,
  /** Anchored preference optimisation: both down, rejected more. */
  apo_down: APO_DOWN_LOSS,
  /** DiscoPOP's log-ratio modulated loss. */
  discopop: DISCOPOP_LOSS,
  /** NLL of the chosen responses (MPO, RPO). */
  sft: SFT_LOSS,
  /** DPO on length-normalised log-ratios. */
  sigmoid_norm: SIGMOID_NORM_LOSS,
} as const satisfies Record<string, DpoLossDefinition>;

/** A registered loss name: `'sigmoid'` (the default), `'ipo'`, `'hinge'`, `'robust'`, `'exo_pair'`, ... (15). */
export type DpoLossType = keyof typeof DPO_LOSSES;

/** The registered names, in registry order. */
export const DPO_LOSS_TYPES = Object.keys(DPO_LOSSES) as DpoLossType[];

/** `'sigmoid', 'ipo', ...`: the registered names quoted, for messages. */
export const DPO_LOSS_NAMES = DPO_LOSS_TYPES.map((t) => `'${t}'`).join(', ');

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
  if (!Object.hasOwn(DPO_LOSSES, name))
    throw new ConfigError('DPOTrainer', 'loss_type', name, `one of ${DPO_LOSS_NAMES}`);
  return DPO_LOSSES[name as DpoLossType];
}
