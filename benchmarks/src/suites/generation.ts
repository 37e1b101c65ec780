import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { convertLlama2c, generate, modelFromContent } from '@rlhf/models';
import { measureInterleaved } from '../timing.js';
import type { BenchContext, BenchMeasurement, Benchmark } from './types.js';

const MODEL_DIR = fileURLToPath(new URL('../../../data/models/stories260K/', import.meta.url));

/**
 * Generation on every context's backend, the calls interleaved between backends (one backend: the same,
 * alone). The headline figure times calls 2–4 of a fresh model, while the JIT and the caches still warm
 * up. The steady rate is what a process that keeps generating sees: the median of calls 21–40 (both
 * backends' JavaScript keeps getting faster for ~15–20 calls: onnxruntime's calls go from ~90 to ~50 ms,
 * backend-js's from ~165 to ~130 ms, on the 2-core EPYC).
 */
async function measureGeneration(contexts: readonly BenchContext[]): Promise<BenchMeasurement[]> {
  const { quick, repeats } = contexts[0] as BenchContext;
  const content = convertLlama2c(readFileSync(`${MODEL_DIR}stories260K.bin`), readFileSync(`${MODEL_DIR}tok512.bin`));
  const models = contexts.map((c) => modelFromContent(content, c.backend));
  const newTokens = quick ? 8 : 200;
  const produced = models.map(() => 0);
  try {
    const calls = models.map((model, i) => async () => {
      const { sequences } = await generate(model, [[1]], { maxNewTokens: newTokens, temperature: 0 });
      produced[i] = (sequences[0] as number[]).length;
    });
    const headline = await measureInterleaved(calls, quick ? 0 : 1, repeats ?? (quick ? 1 : 3));
    const later = quick ? null : await measureInterleaved(calls, 16, 20);
    return models.map((model, i) => {
      const timing = headline[i] as (typeof headline)[number];
      const steady = later?.[i];
      const tokens = produced[i] as number;
      return {
        metric: 'tokens/s',
        value: tokens / (timing.medianMs / 1000),
        ...timing,
        params: {
          parameters: model.parameterCount(),
          newTokens: tokens,
          batchSize: 1,
          kvCache: true,
          ...(steady ? { steadyTokensPerS: Math.round(tokens / (steady.medianMs / 1000)) } : {}),
          ...(contexts.length > 1 ? { interleaved: true } : {}),
        },
      };
    });
  } finally {
    for (const m of models) m.dispose();
  }
}

/**
 * Tokens/s of greedy generation with stories260K (llama2.c's 260K-parameter Llama, converted) and the
 * KV cache: 200 new tokens after BOS, batch 1 — the published-greedy-output setting. With several
 * backends, their calls are interleaved (`runInterleaved`), so their ratio survives the machine's drift.
 */
export const generationBenchmark: Benchmark = {
  name: 'generate-stories260k',
  description: 'stories260K greedy generation with KV cache, batch 1, tokens/s',
  async run(context) {
    return (await measureGeneration([context]))[0] as BenchMeasurement;
  },
  runInterleaved: measureGeneration,
};
