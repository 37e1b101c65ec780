import { add, ConfigError, mul, type Tensor } from '@rlhf/core';
import type { DpoLossBatch, DpoLossDefinition, DpoLossParams, DpoLossState } from './dpo-loss.js';
import { DPO_LOSS_NAMES, DPO_LOSSES, type DpoLossType } from './registry.js';

/** One term of a DPO objective: a registry entry and its weight. */
export interface WeightedDpoLoss {
  /** The loss. */
  readonly definition: DpoLossDefinition;
  /** Its weight in the sum. */
  readonly weight: number;
}

/** What {@link dpoLossTerms} reads: the options `loss_type`, `loss_weights` and `label_smoothing`. */
export interface DpoLossSelection {
  /** One name, or a list of names to add up (TRL: `loss_type=['sigmoid', 'bco_pair', 'sft']` is MPO). */
  loss_type: DpoLossType | readonly DpoLossType[];
  /** One weight per name of `loss_type` (`null`: 1 each). */
  loss_weights: readonly number[] | null;
  /** ε, checked against each loss's bounds. */
  label_smoothing: number;
}

/**
 * The weighted terms of `loss_type` and `loss_weights`, as TRL combines them (TRL 1.13
 * `DPOTrainer._compute_loss`: `loss += per_sequence_loss.mean() * loss_weight` over
 * `zip(loss_type, loss_weights)`; weights default to 1 each). Throws a {@link ConfigError} naming the option
 * when `loss_weights` has another length than the list, or `label_smoothing` is outside a chosen loss's
 * range (`robust`: < 0.5, it divides by 1 − 2ε; `exo_pair`: > 0, it takes log ε).
 *
 * @example
 * ```ts
 * dpoLossTerms({ loss_type: ['sigmoid', 'bco_pair', 'sft'], loss_weights: [0.8, 0.2, 1], label_smoothing: 0 });
 * // [{ definition: SIGMOID_LOSS, weight: 0.8 }, { definition: BCO_PAIR_LOSS, weight: 0.2 }, { definition: SFT_LOSS, weight: 1 }]
 * ```
 */
export function dpoLossTerms(
  { loss_type, loss_weights, label_smoothing: eps }: DpoLossSelection,
  owner = 'DPOTrainer',
): WeightedDpoLoss[] {
  const names: readonly DpoLossType[] = typeof loss_type === 'string' ? [loss_type] : loss_type;
  if (loss_weights !== null && loss_weights.length !== names.length) {
    throw new ConfigError(
      owner,
      'loss_weights',
      loss_weights,
      `a list of ${names.length} weight${names.length === 1 ? '' : 's'}, one per loss_type entry (${names.map((n) => `'${n}'`).join(', ')})`,
    );
  }
  return names.map((name, i) => {
    const definition = DPO_LOSSES[name];
    const bound = definition.labelSmoothingBound;
    if ((!bound.inclusive && eps >= bound.max) || (bound.positive && eps <= 0)) {
      const range = `${bound.positive ? '(0' : '[0'}, ${bound.max}${bound.inclusive ? ']' : ')'}`;
      const why = bound.positive ? 'it takes log ε; the EXO paper uses 1e-3' : 'it divides by 1 − 2ε';
      throw new ConfigError(owner, 'label_smoothing', eps, `a number in ${range} for loss_type '${name}' (${why})`);
    }
    return { definition, weight: loss_weights?.[i] ?? 1 };
  });
}

/**
 * The per-pair objective `Σ_k w_k · L_k(batch)`: each term's per-pair losses (B) times its weight, added
 * up; `states[k]` is term k's own state (or `null`). batch (B each) → (B).
 *
 * @example
 * ```ts
 * const perPair = weightedDpoLoss(terms, batch, { beta: 0.1, label_smoothing: 0 }, states); // (B)
 * ```
 */
export function weightedDpoLoss(
  terms: readonly WeightedDpoLoss[],
  batch: DpoLossBatch,
  params: DpoLossParams,
  states: readonly (DpoLossState | null)[],
): Tensor {
  let total: Tensor | null = null;
  for (const [k, { definition, weight }] of terms.entries()) {
    const losses = definition.perPair(batch, params, states[k] ?? null); // (B)
    const term = weight === 1 ? losses : mul(losses, weight);
    total = total === null ? term : add(total, term);
  }
  if (total === null)
    throw new ConfigError('DPOTrainer', 'loss_type', [], `one of ${DPO_LOSS_NAMES}, or a list of them`);
  return total;
}
