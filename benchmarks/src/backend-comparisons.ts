import { definedFields, type Measured, numberParam, pairsWith } from './measured-pairs.js';
import { textTable } from './text-table.js';

/** The backend every other backend is compared with when both ran a benchmark in one run. */
export const REFERENCE_BACKEND = 'js';

/** One backend against backend-js on one benchmark, from the same run (higher ratio is better). */
export interface BackendComparison {
  benchmark: string;
  backend: string;
  metric: string;
  ours: number;
  js: number;
  /** ours / js of the headline figure. */
  ratio: number;
  /** ours / js of the steady rate, when the benchmark reports one (`steadyTokensPerS`, generation). */
  steadyRatio?: number;
  /** One-minute load average while each side ran (the busiest round). */
  oursLoad1?: number;
  jsLoad1?: number;
}

/**
 * Pairs every backend's result (PyTorch's excepted) with backend-js's result of the same benchmark.
 *
 * @example
 * ```ts
 * const rows = compareWithJs(report.results); // [{ benchmark: 'generate-stories260k', backend: 'onnxruntime', ratio: 2.2, ... }]
 * ```
 */
export function compareWithJs(results: readonly Measured[], pytorch = 'pytorch'): BackendComparison[] {
  return pairsWith(results, REFERENCE_BACKEND, [pytorch]).map(({ ours: r, reference: js }) => {
    const [steady, jsSteady] = [numberParam(r, 'steadyTokensPerS'), numberParam(js, 'steadyTokensPerS')];
    return {
      benchmark: r.benchmark,
      backend: r.backend,
      metric: r.metric,
      ours: r.value,
      js: js.value,
      ratio: r.value / js.value,
      ...definedFields({
        steadyRatio: steady !== undefined && jsSteady !== undefined ? steady / jsSteady : undefined,
        oursLoad1: numberParam(r, 'load1'),
        jsLoad1: numberParam(js, 'load1'),
      }),
    };
  });
}

/**
 * The comparisons as a plain-text table.
 *
 * @example
 * ```ts
 * console.log(formatBackendComparisons(compareWithJs(report.results)));
 * ```
 */
export function formatBackendComparisons(rows: readonly BackendComparison[]): string {
  if (rows.length === 0) return '';
  const header = ['benchmark', 'backend', 'ours', 'js', 'ours/js', 'steady ours/js', 'load ours/js'];
  const figure = (v: number, metric: string) => `${v.toFixed(v >= 100 ? 0 : 1)} ${metric}`;
  const body = rows.map((r) => [
    r.benchmark,
    r.backend,
    figure(r.ours, r.metric),
    figure(r.js, r.metric),
    `${r.ratio.toFixed(2)}×`,
    r.steadyRatio === undefined ? '' : `${r.steadyRatio.toFixed(2)}×`,
    `${r.oursLoad1 ?? '?'}/${r.jsLoad1 ?? '?'}`,
  ]);
  return textTable(header, body, (i) => i >= 2);
}
