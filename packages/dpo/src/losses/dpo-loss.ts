import type { Tensor, TensorBackend } from '@rlhf/core';

/** The hyper-parameters every DPO-family loss may read. */
export interface DpoLossParams {
  /** β: strength of the implicit KL regularisation towards the reference (> 0). */
  beta: number;
  /** ε: probability that a preference label is flipped (conservative / robust DPO, EXO's ε), 0 ≤ ε ≤ 0.5. */
  label_smoothing: number;
  /** τ of DiscoPOP's log-ratio modulation (> 0); only `discopop` reads it. @defaultValue 0.05 */
  discopop_tau?: number;
}

/**
 * A DPO-family loss that is a function of the log-ratio difference alone:
 * `Δ = (log π_θ(y_c|x) − log π_ref(y_c|x)) − (log π_θ(y_r|x) − log π_ref(y_r|x))`.
 * delta (B) → losses (B). Built from core ops, so it is differentiable on every backend.
 */
export type DpoLossFunction = (delta: Tensor, params: DpoLossParams) => Tensor;

/**
 * Everything a DPO-family loss may read about one micro-batch of B pairs, each (B): the summed response
 * log-probabilities under the policy (on the tape) and the reference (constants), and the response lengths.
 */
export interface DpoLossBatch {
  /** log π_θ(y_c|x), (B). */
  policyChosen: Tensor;
  /** log π_θ(y_r|x), (B). */
  policyRejected: Tensor;
  /** log π_ref(y_c|x), (B) — constant. */
  refChosen: Tensor;
  /** log π_ref(y_r|x), (B) — constant. */
  refRejected: Tensor;
  /** Scored tokens of each chosen response (≥ 1), (B) — constant. */
  chosenLengths: Tensor;
  /** Scored tokens of each rejected response (≥ 1), (B) — constant. */
  rejectedLengths: Tensor;
}

/**
 * State a loss keeps across micro-batches of one run (`bco_pair`'s running mean of rewards). It is saved
 * in every checkpoint and restored on resume, so a resumed run computes what the unbroken one does.
 */
export interface DpoLossState {
  /** The state as JSON-safe data (reads the device). */
  save(): Promise<Record<string, number>>;
  /** Puts saved state back (`null`: a fresh state). */
  restore(saved: Record<string, number> | null): void;
  /** Frees the state's tensors (end of the run). */
  dispose(): void;
}

/**
 * The general form of a DPO-family loss: per-pair losses of one micro-batch. batch (B each) → losses (B).
 * `state` is the loss's own {@link DpoLossState} (created by its definition's `createState`), else `null`.
 */
export type DpoBatchLossFunction = (batch: DpoLossBatch, params: DpoLossParams, state: DpoLossState | null) => Tensor;

/** One entry of the loss registry: the function and what it accepts. */
export interface DpoLossDefinition {
  /** The registry key (`loss_type`). */
  readonly name: string;
  /** The formula, as written at the head of its file. */
  readonly formula: string;
  /** Where it comes from (paper and equation). */
  readonly reference: string;
  /** The TRL code it matches (version, file and function). */
  readonly trl: string;
  /** When to use it, in one sentence (the docs' table). */
  readonly whenToUse: string;
  /** Per-pair losses of a micro-batch (every loss has this form). */
  readonly perPair: DpoBatchLossFunction;
  /** The per-pair loss when policy = reference (step 0), when that is a constant; `null` when it depends on the model. */
  readonly stepZero: ((params: DpoLossParams) => number) | null;
  /** Creates the loss's state for one run (only losses with state). */
  readonly createState?: (backend: TensorBackend) => DpoLossState;
  /** Whether `label_smoothing` enters the formula (it is ignored otherwise). */
  readonly usesLabelSmoothing: boolean;
  /** Largest `label_smoothing` allowed, and whether that bound is itself allowed. */
  readonly labelSmoothingBound: LabelSmoothingBound;
}

/** A registry entry whose loss is a function of Δ alone (`sigmoid`, `ipo`, `hinge`, `robust`, ...). */
export interface DeltaLossDefinition extends DpoLossDefinition {
  /** The loss as a function of Δ. */
  readonly loss: DpoLossFunction;
}

/** The `label_smoothing` values a loss accepts. */
export interface LabelSmoothingBound {
  /** The bound. */
  readonly max: number;
  /** Whether `max` itself is allowed. */
  readonly inclusive: boolean;
  /** Whether ε must be > 0 (EXO takes log ε). */
  readonly positive?: boolean;
}
