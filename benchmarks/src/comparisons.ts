import { definedFields, type Measured, numberParam, pairsWith, stringParam } from './measured-pairs.js';
import { textTable } from './text-table.js';

/** One backend against PyTorch on one benchmark (higher ratio is better for us). */
export interface PytorchComparison {
  benchmark: string;
  backend: string;
  metric: string;
  ours: number;
  pytorch: number;
  /** ours / PyTorch of the headline figure (tokens/s). */
  ratio: number;
  /** Peak resident memory of our process and of PyTorch's, in MB (when both are known). */
  oursPeakRssMB?: number;
  pytorchPeakRssMB?: number;
  /** PyTorch's allocator (`tcmalloc` is the fair baseline; `glibc` handicaps PyTorch). */
  pytorchAllocator?: string;
  /** The allocator of our (benchmark) process: `glibc` as Node runs by default, `tcmalloc` when preloaded. */
  oursAllocator?: string;
  /** PyTorch's OpenMP wait policy (the faster of `PASSIVE` and `default` on this machine). */
  pytorchOmpWaitPolicy?: string;
  /** One-minute load average while each side ran (the busiest round). */
  oursLoad1?: number;
  pytorchLoad1?: number;
}

/** The backend name under which PyTorch's measurements are recorded. */
export const PYTORCH = 'pytorch';

/**
 * Pairs every backend's result with PyTorch's result of the same benchmark.
 *
 * @example
 * ```ts
 * const rows = comparePytorch(report.results); // [{ benchmark: 'llama-train-step', backend: 'onnxruntime', ratio: 2.4, ... }]
 * ```
 */
export function comparePytorch(results: readonly Measured[]): PytorchComparison[] {
  return pairsWith(results, PYTORCH).map(({ ours: r, reference: pt }) => ({
    benchmark: r.benchmark,
    backend: r.backend,
    metric: r.metric,
    ours: r.value,
    pytorch: pt.value,
    ratio: r.value / pt.value,
    ...definedFields({
      oursPeakRssMB: numberParam(r, 'peakRssMB'),
      pytorchPeakRssMB: numberParam(pt, 'peakRssMB'),
      pytorchAllocator: stringParam(pt, 'allocator'),
      oursAllocator: stringParam(r, 'allocator'),
      pytorchOmpWaitPolicy: stringParam(pt, 'ompWaitPolicy'),
      oursLoad1: numberParam(r, 'load1'),
      pytorchLoad1: numberParam(pt, 'load1'),
    }),
  }));
}

/**
 * The comparisons as a plain-text table.
 *
 * @example
 * ```ts
 * console.log(formatComparisons(comparePytorch(report.results)));
 * ```
 */
export function formatComparisons(rows: readonly PytorchComparison[]): string {
  if (rows.length === 0) return '';
  const header = [
    'benchmark',
    'backend',
    'ours',
    'PyTorch',
    'ours/PyTorch',
    'peak MB ours',
    'peak MB PyTorch',
    'malloc ours',
    'PyTorch malloc, OMP wait',
    'load ours/PyTorch',
  ];
  const mb = (v?: number) => (v === undefined ? '' : Math.round(v).toLocaleString('en-US'));
  const body = rows.map((r) => [
    r.benchmark,
    r.backend,
    `${r.ours.toFixed(r.ours >= 100 ? 0 : 1)} ${r.metric}`,
    `${r.pytorch.toFixed(r.pytorch >= 100 ? 0 : 1)} ${r.metric}`,
    `${r.ratio.toFixed(2)}×`,
    mb(r.oursPeakRssMB),
    mb(r.pytorchPeakRssMB),
    r.oursAllocator ?? '?',
    `${r.pytorchAllocator ?? '?'}, ${r.pytorchOmpWaitPolicy ?? '?'}`,
    `${r.oursLoad1 ?? '?'}/${r.pytorchLoad1 ?? '?'}`,
  ]);
  return textTable(header, body, (i) => i >= 2);
}
