import type { Tensor } from '@rlhf/core';

/** The hyper-parameters every `CPOTrainer` loss may read. */
export interface CpoLossParams {
  /** β: the temperature of the preference term (> 0); IPO's τ. */
  beta: number;
  /** ε: probability that a preference label is flipped, 0–0.5 (`sigmoid`, `simpo`). */
  label_smoothing: number;
  /** γ: SimPO's target reward margin (`simpo` only). */
  simpo_gamma: number;
}

/**
 * A reference-free preference loss: per-pair losses from the policy's log-probability difference
 * `h = log π_θ(y_c|x) − log π_θ(y_r|x)` (summed over response tokens, or averaged per token when the
 * loss is {@link CpoLossDefinition.lengthNormalized}). h (B) → losses (B). Built from core ops, so it is
 * differentiable on every backend.
 */
export type CpoLossFunction = (logits: Tensor, params: CpoLossParams) => Tensor;

/** One entry of the `CPOTrainer` loss registry. */
export interface CpoLossDefinition {
  /** The registry key (`loss_type`). */
  readonly name: string;
  /** The formula, as written at the head of its file. */
  readonly formula: string;
  /** Where it comes from (paper and equation, TRL file). */
  readonly reference: string;
  /** The loss itself. */
  readonly loss: CpoLossFunction;
  /** Whether the log-probabilities are averaged per response token (`ipo`, `simpo`) instead of summed. */
  readonly lengthNormalized: boolean;
  /** Whether `label_smoothing` enters the formula (it is ignored otherwise). */
  readonly usesLabelSmoothing: boolean;
}
