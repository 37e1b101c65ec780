import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { convertLlama2c, generate, modelFromContent } from '@rlhf/models';
import { measure } from '../timing.js';
import type { Benchmark } from './types.js';

const MODEL_DIR = fileURLToPath(new URL('../../../data/models/stories260K/', import.meta.url));

/**
 * Tokens/s of greedy generation with stories260K (llama2.c's 260K-parameter Llama, converted) and the
 * KV cache: 200 new tokens after BOS, batch 1 — the published-greedy-output setting.
 */
export const generationBenchmark: Benchmark = {
  name: 'generate-stories260k',
  description: 'stories260K greedy generation with KV cache, batch 1, tokens/s',
  async run({ backend, quick, repeats }) {
    const content = convertLlama2c(readFileSync(`${MODEL_DIR}stories260K.bin`), readFileSync(`${MODEL_DIR}tok512.bin`));
    const model = modelFromContent(content, backend);
    const newTokens = quick ? 8 : 200;
    let produced = 0;
    try {
      const generateOnce = async () => {
        const { sequences } = await generate(model, [[1]], { maxNewTokens: newTokens, temperature: 0 });
        produced = (sequences[0] as number[]).length;
      };
      const timing = await measure(generateOnce, quick ? 0 : 1, repeats ?? (quick ? 1 : 3));
      // The headline figure times calls 2–4 of a fresh process, while the JIT and the caches still warm up.
      // The steady rate is what a process that keeps generating sees: the median of calls 21–40 (both
      // backends' JavaScript keeps getting faster for ~15–20 calls: onnxruntime's calls go from ~90 to
      // ~50 ms, backend-js's from ~165 to ~130 ms, on the 2-core EPYC).
      const later = quick ? null : await measure(generateOnce, 16, 20);
      return {
        metric: 'tokens/s',
        value: produced / (timing.medianMs / 1000),
        ...timing,
        params: {
          parameters: model.parameterCount(),
          newTokens: produced,
          batchSize: 1,
          kvCache: true,
          ...(later ? { steadyTokensPerS: Math.round(produced / (later.medianMs / 1000)) } : {}),
        },
      };
    } finally {
      model.dispose();
    }
  },
};
