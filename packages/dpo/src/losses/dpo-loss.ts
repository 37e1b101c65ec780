import type { Tensor } from '@rlhf/core';

/** The hyper-parameters every DPO-family loss may read. */
export interface DpoLossParams {
  /** β: strength of the implicit KL regularisation towards the reference (> 0). */
  beta: number;
  /** ε: probability that a preference label is flipped (conservative / robust DPO), 0 ≤ ε ≤ 0.5. */
  label_smoothing: number;
}

/**
 * A DPO-family loss: per-pair losses from the log-ratio difference
 * `Δ = (log π_θ(y_c|x) − log π_ref(y_c|x)) − (log π_θ(y_r|x) − log π_ref(y_r|x))`.
 * delta (B) → losses (B). Built from core ops, so it is differentiable on every backend.
 */
export type DpoLossFunction = (delta: Tensor, params: DpoLossParams) => Tensor;

/** One entry of the loss registry: the function and what it accepts. */
export interface DpoLossDefinition {
  /** The registry key (`loss_type`). */
  readonly name: string;
  /** The formula, as written at the head of its file. */
  readonly formula: string;
  /** Where it comes from. */
  readonly reference: string;
  /** The loss itself. */
  readonly loss: DpoLossFunction;
  /** Whether `label_smoothing` enters the formula (it is ignored otherwise). */
  readonly usesLabelSmoothing: boolean;
  /** Largest `label_smoothing` allowed, and whether that bound is itself allowed. */
  readonly labelSmoothingBound: LabelSmoothingBound;
}

/** The largest `label_smoothing` a loss accepts. */
export interface LabelSmoothingBound {
  /** The bound. */
  readonly max: number;
  /** Whether `max` itself is allowed. */
  readonly inclusive: boolean;
}
