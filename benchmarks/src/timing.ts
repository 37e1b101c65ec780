/** Wall-clock samples of a measured operation, in milliseconds. */
export interface Timing {
  /** Untimed runs before the measured ones (JIT, allocation, caches). */
  warmup: number;
  /** Duration of each measured run, in order. */
  samplesMs: number[];
  /** Median of `samplesMs`: the figure the benchmarks report. */
  medianMs: number;
  /** Fastest measured run. */
  minMs: number;
}

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Runs `fn` `warmup` times untimed, then `repeats` times timed. `fn` must end with a read of its result
 * (so an asynchronous backend has really finished the work when it resolves).
 */
export async function measure(fn: () => Promise<void>, warmup: number, repeats: number): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const samplesMs: number[] = [];
  for (let i = 0; i < Math.max(1, repeats); i++) {
    const start = performance.now();
    await fn();
    samplesMs.push(performance.now() - start);
  }
  return { warmup, samplesMs, medianMs: median(samplesMs), minMs: Math.min(...samplesMs) };
}

/**
 * {@link measure} for several operations at once, call by call in turn — `a, b, b, a, a, b, …` (the order
 * reverses every round, so neither always runs first) — so that a machine whose speed drifts slows every
 * operation alike and their ratio holds. One {@link Timing} per operation, in the order given.
 *
 * @example
 * ```ts
 * const [ort, js] = await measureInterleaved([generateOnOrt, generateOnJs], 1, 3);
 * ```
 */
export async function measureInterleaved(
  fns: readonly (() => Promise<void>)[],
  warmup: number,
  repeats: number,
): Promise<Timing[]> {
  const samples: number[][] = fns.map(() => []);
  const rounds = warmup + Math.max(1, repeats);
  for (let round = 0; round < rounds; round++) {
    const order = fns.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const start = performance.now();
      await (fns[i] as () => Promise<void>)();
      if (round >= warmup) (samples[i] as number[]).push(performance.now() - start);
    }
  }
  return samples.map((samplesMs) => ({
    warmup,
    samplesMs,
    medianMs: median(samplesMs),
    minMs: Math.min(...samplesMs),
  }));
}
