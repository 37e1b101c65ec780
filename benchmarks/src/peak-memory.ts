import { memoryUsage } from 'node:process';

/**
 * Samples the process's resident set size every few milliseconds while `fn` runs (the samples land
 * while the event loop waits on asynchronous backend work, where the peak is) and returns its result
 * with the largest RSS seen, in MB. RSS is process-wide: it includes whatever ran before.
 *
 * @example
 * ```ts
 * const { result, peakRssMB } = await withPeakRss(() => measure(step, 1, 3));
 * ```
 */
export async function withPeakRss<T>(fn: () => Promise<T>, everyMs = 5): Promise<{ result: T; peakRssMB: number }> {
  let peak = memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, memoryUsage.rss());
  }, everyMs);
  try {
    const result = await fn();
    peak = Math.max(peak, memoryUsage.rss());
    return { result, peakRssMB: peak / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}
