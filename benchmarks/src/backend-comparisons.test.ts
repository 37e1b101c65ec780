import { describe, expect, it } from 'vitest';
import { compareWithJs, formatBackendComparisons } from './backend-comparisons.js';

const result = (benchmark: string, backend: string, value: number, params: Record<string, number> = {}) => ({
  benchmark,
  backend,
  value,
  metric: 'tokens/s',
  params,
});

describe('compareWithJs', () => {
  it('pairs every other backend with backend-js on the same benchmark, steady rates too', () => {
    const rows = compareWithJs([
      result('generate-stories260k', 'onnxruntime', 2400, { steadyTokensPerS: 2600, load1: 0.5 }),
      result('generate-stories260k', 'js', 1200, { steadyTokensPerS: 1000, load1: 0.7 }),
      result('generate-stories260k', 'pytorch', 9999),
      result('matmul', 'onnxruntime', 140),
    ]);
    expect(rows).toEqual([
      {
        benchmark: 'generate-stories260k',
        backend: 'onnxruntime',
        metric: 'tokens/s',
        ours: 2400,
        js: 1200,
        ratio: 2,
        steadyRatio: 2.6,
        oursLoad1: 0.5,
        jsLoad1: 0.7,
      },
    ]);
    const text = formatBackendComparisons(rows);
    expect(text.split('\n')[0]).toMatch(
      /^benchmark\s+backend\s+ours\s+js\s+ours\/js\s+steady ours\/js\s+load ours\/js$/,
    );
    expect(text.split('\n')[2]).toMatch(
      /^generate-stories260k\s+onnxruntime\s+2400 tokens\/s\s+1200 tokens\/s\s+2\.00×\s+2\.60×\s+0\.5\/0\.7$/,
    );
  });

  it('leaves out benchmarks that backend-js did not run, and figures of another metric', () => {
    expect(compareWithJs([result('matmul', 'onnxruntime', 140), result('matmul', 'webgpu', 20)])).toEqual([]);
    const gflops = { ...result('matmul', 'onnxruntime', 140), metric: 'GFLOP/s' };
    expect(compareWithJs([gflops, result('matmul', 'js', 1.3)])).toEqual([]);
    expect(formatBackendComparisons([])).toBe('');
  });

  it('leaves a detail out, not undefined, when a side did not report it', () => {
    const [row] = compareWithJs([result('sft-train', 'onnxruntime', 30), result('sft-train', 'js', 10, { load1: 1 })]);
    expect(row?.ratio).toBe(3);
    expect(Object.keys(row ?? {}).sort()).toEqual(['backend', 'benchmark', 'js', 'jsLoad1', 'metric', 'ours', 'ratio']);
  });
});
