// Profiles greedy generation of stories260K (200 tokens, batch 1) on a backend: wall time per token and,
// on onnxruntime, the executor's plan / run / compile split.
// Usage: node benchmarks/scripts/profile-generate.mjs [js|onnxruntime] [tokens]
import { readFileSync } from 'node:fs';
import { createJsBackend } from '@rlhf/backend-js';
import { createOnnxRuntimeBackend } from '@rlhf/backend-onnxruntime';
import { convertLlama2c, generate, modelFromContent } from '@rlhf/models';

const name = process.argv[2] ?? 'onnxruntime';
const tokens = Number(process.argv[3] ?? 200);
const dir = new URL('../../data/models/stories260K/', import.meta.url);
const backend = name === 'js' ? createJsBackend() : createOnnxRuntimeBackend();
const content = convertLlama2c(readFileSync(new URL('stories260K.bin', dir)), readFileSync(new URL('tok512.bin', dir)));
const model = modelFromContent(content, backend);
for (let i = 0; i < 4; i++) {
  const before = backend.stats ? { ...backend.stats() } : null;
  const t0 = performance.now();
  const { sequences } = await generate(model, [[1]], { maxNewTokens: tokens, temperature: 0 });
  const ms = performance.now() - t0;
  const n = sequences[0].length;
  const after = backend.stats ? backend.stats() : null;
  const per = (k) => (after ? ((after[k] - before[k]) / n).toFixed(3) : '-');
  console.log(
    `${name} round ${i}: ${n} tokens ${(n / (ms / 1000)).toFixed(0)} tok/s, ${(ms / n).toFixed(3)} ms/token; plan ${per('planMs')} run ${per('runMs')} compile ${per('compileMs')} ms/token, nodes ${after?.lastGraphNodes ?? '-'}`,
  );
}
