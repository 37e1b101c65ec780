import type { Tensor } from '../tensor/tensor.js';
import type { MetricReduction, TaskMetric } from './training-task.js';

/** A metric combined so far: its reduction and the running sum (`mean`, `sum`) or extreme (`min`, `max`). */
export interface AccumulatedMetric {
  /** How it combines. */
  reduce: MetricReduction;
  /** Running sum or extreme. */
  value: number;
}

/** Accumulated metrics by name (plain data: checkpoints hold them as JSON). */
export type MetricAccumulator = Record<string, AccumulatedMetric>;

/**
 * Reads a micro-batch's task metrics to the host (disposing the tensors), with their reductions; a bare
 * tensor is a `'mean'` metric (the micro-batch's sum over its units).
 *
 * @example
 * ```ts
 * const values = await readMetrics({ accuracy: sumTensor, reward_min: { value: minTensor, reduce: 'min' } });
 * ```
 */
export async function readMetrics(
  metrics: Record<string, Tensor | TaskMetric> | undefined,
): Promise<MetricAccumulator> {
  const out: MetricAccumulator = {};
  for (const [name, m] of Object.entries(metrics ?? {})) {
    const { value, reduce } = isTaskMetric(m) ? m : { value: m, reduce: 'mean' as const };
    out[name] = { reduce, value: await value.item() };
    value.dispose();
  }
  return out;
}

function isTaskMetric(m: Tensor | TaskMetric): m is TaskMetric {
  return typeof (m as TaskMetric).reduce === 'string' && (m as TaskMetric).value !== undefined;
}

/**
 * Combines `values` into `into` by each metric's reduction: sums for `mean` and `sum`, the smaller or
 * larger for `min` and `max`. A metric's first value starts it.
 *
 * @example
 * ```ts
 * const acc: MetricAccumulator = {};
 * accumulateMetrics(acc, { m: { reduce: 'max', value: 2 } });
 * accumulateMetrics(acc, { m: { reduce: 'max', value: 5 } }); // acc.m.value === 5
 * ```
 */
export function accumulateMetrics(into: MetricAccumulator, values: MetricAccumulator): void {
  for (const [name, { reduce, value }] of Object.entries(values)) {
    const prev = into[name];
    if (!prev) {
      into[name] = { reduce, value };
      continue;
    }
    if (reduce === 'min') prev.value = Math.min(prev.value, value);
    else if (reduce === 'max') prev.value = Math.max(prev.value, value);
    else prev.value += value;
  }
}

/**
 * The logged values: `mean` metrics divided by the units (a mean per unit), the others as they are.
 *
 * @example
 * ```ts
 * finishMetrics({ acc: { reduce: 'mean', value: 3 }, top: { reduce: 'max', value: 0.9 } }, 4); // { acc: 0.75, top: 0.9 }
 * ```
 */
export function finishMetrics(acc: MetricAccumulator, units: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, { reduce, value }] of Object.entries(acc))
    out[name] = reduce === 'mean' ? value / Math.max(units, 1) : value;
  return out;
}
