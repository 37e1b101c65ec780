import type { Tensor } from '../tensor/tensor.js';

/** Host-side size of a micro-batch. */
export interface BatchMeasure {
  /** Target units the loss is summed over: target tokens (SFT), pairs (DPO, reward). */
  units: number;
  /** Input tokens fed to the model (throughput, `tokens_seen`). */
  tokens: number;
}

/**
 * How a metric is combined over micro-batches, the steps of a logging window and validation batches:
 * - `'mean'`: the task returns the micro-batch's **sum** over its units; logged as sum / units (a mean per unit);
 * - `'sum'`: summed, logged as the total;
 * - `'min'` / `'max'`: the task returns the micro-batch's smallest / largest value; logged as the extreme.
 */
export type MetricReduction = 'mean' | 'sum' | 'min' | 'max';

/** A task metric with its reduction. */
export interface TaskMetric {
  /** Scalar (off the tape is fine): the micro-batch's sum (`mean`, `sum`) or extreme (`min`, `max`). */
  value: Tensor;
  /** How it combines over micro-batches, steps and validation batches. */
  reduce: MetricReduction;
}

/** A micro-batch's loss, summed (not averaged) over its units, and optional metrics with their reductions. */
export interface TaskLoss {
  /** Scalar on the tape: Σ over the micro-batch's units of the per-unit loss. */
  loss: Tensor;
  /** Metrics by name: a {@link TaskMetric}, or a bare scalar meaning `{ value, reduce: 'mean' }` (a sum over units). */
  metrics?: Record<string, Tensor | TaskMetric>;
}

/**
 * State a task carries from one micro-batch to the next (e.g. a running mean that its loss reads), so that
 * a resumed run continues exactly where the unbroken one was: the loop writes `save()` into every
 * checkpoint's `trainer_state.json` (`task_state`) and hands it back to `restore()` on resume.
 *
 * @example
 * ```ts
 * const state: TaskState = { save: () => ({ mean }), restore: (s) => { mean = (s as { mean: number }).mean; } };
 * ```
 */
export interface TaskState {
  /** The state as JSON-safe data (may read device tensors, hence the promise). */
  save(): unknown | Promise<unknown>;
  /** Puts saved state back; `null` when the checkpoint holds none (written by a run without state). */
  restore(saved: unknown): void;
}

/**
 * What a trainer plugs into the shared loop: how big a micro-batch is and what its loss is. The loop
 * divides every micro-batch's summed loss by the total units of the whole optimizer step before
 * `backward`, so `gradient_accumulation` micro-batches give exactly the gradient of one big batch.
 *
 * @example
 * ```ts
 * const task: TrainingTask<Example> = {
 *   measure: (items) => ({ units: countTargets(items), tokens: countTokens(items) }),
 *   loss: (items) => ({ loss: crossEntropy(model.forward(ids).logits, targets, { reduction: 'sum' }) }),
 *   evalExtras: (loss) => ({ val_perplexity: Math.exp(loss) }),
 * };
 * ```
 */
export interface TrainingTask<TItem> {
  /** Units and tokens of a micro-batch, on the host (called before its loss). */
  measure(items: readonly TItem[]): BatchMeasure;
  /** The summed loss of a micro-batch (runs inside a memory scope; also used for validation, tape off). */
  loss(items: readonly TItem[]): TaskLoss;
  /** Extra values of an evaluation record from the mean validation loss (e.g. perplexity). */
  evalExtras?(meanLoss: number): Record<string, number>;
  /** State carried across micro-batches, checkpointed and restored on resume (most tasks have none). */
  state?: TaskState;
}
