import { sub, type Tensor } from '@rlhf/core';

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
