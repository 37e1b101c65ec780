import { sub, type Tensor } from '@rlhf/core';
import type { DpoBatchLossFunction, DpoLossBatch, DpoLossFunction } from './dpo-loss.js';

/** Summed response log-probabilities of one batch of pairs under the policy and the reference, each (B). */
export interface PairLogProbs {
  /** log π_θ(y_c|x), (B). */
  policyChosen: Tensor;
  /** log π_θ(y_r|x), (B). */
  policyRejected: Tensor;
  /** log π_ref(y_c|x), (B) — constant (no tape). */
  refChosen: Tensor;
  /** log π_ref(y_r|x), (B) — constant (no tape). */
  refRejected: Tensor;
}

/**
 * The log-ratio difference every DPO-family loss is a function of (Rafailov et al. 2023, eq. 7, the
 * argument of σ divided by β):
 *
 * `Δ = (log π_θ(y_c|x) − log π_ref(y_c|x)) − (log π_θ(y_r|x) − log π_ref(y_r|x))`
 *
 * Each bracket is a pair's implicit reward divided by β (`c_chosen`, `c_rejected`). All inputs (B) → (B).
 *
 * @example
 * ```ts
 * const delta = logRatioDifference({ policyChosen, policyRejected, refChosen, refRejected }); // (B)
 * ```
 */
export function logRatioDifference({ policyChosen, policyRejected, refChosen, refRejected }: PairLogProbs): Tensor {
  const chosen = sub(policyChosen, refChosen); // c_chosen (B)
  const rejected = sub(policyRejected, refRejected); // c_rejected (B)
  return sub(chosen, rejected);
}

/** The per-response log-ratios of a batch and their difference, each (B). */
export interface BatchLogRatios {
  /** c_chosen = log π_θ(y_c|x) − log π_ref(y_c|x), (B). */
  chosen: Tensor;
  /** c_rejected = log π_θ(y_r|x) − log π_ref(y_r|x), (B). */
  rejected: Tensor;
  /** Δ = c_chosen − c_rejected, (B). */
  delta: Tensor;
}

/**
 * `c_chosen`, `c_rejected` and Δ of a {@link DpoLossBatch} (TRL's `chosen_logratios`, `rejected_logratios`
 * and `delta_score` with the default reverse-KL divergence). All (B).
 *
 * @example
 * ```ts
 * const { chosen, rejected, delta } = batchLogRatios(batch); // (B) each
 * ```
 */
export function batchLogRatios(batch: DpoLossBatch): BatchLogRatios {
  const chosen = sub(batch.policyChosen, batch.refChosen); // (B)
  const rejected = sub(batch.policyRejected, batch.refRejected); // (B)
  return { chosen, rejected, delta: sub(chosen, rejected) };
}

/**
 * The batch form of a loss of Δ alone: `(batch) → fn(Δ)`. (B) → (B).
 *
 * @example
 * ```ts
 * const perPair = fromDelta(sigmoidLoss); // (batch, params) → (B)
 * ```
 */
export function fromDelta(fn: DpoLossFunction): DpoBatchLossFunction {
  return (batch, params) => fn(batchLogRatios(batch).delta, params);
}
