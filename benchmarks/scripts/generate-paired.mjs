// Greedy generation of stories260K (200 tokens, batch 1, KV cache) on onnxruntime and on backend-js, the
// calls interleaved (onnxruntime, js, js, onnxruntime, …) so that this machine's drift — which moves a
// backend's figure by ±25 % between runs a minute apart — lands on both sides of each pair. Prints, for
// calls 2–4 (the `generate-stories260k` headline) and for calls 21–40 (its steady rate), each backend's
// median tokens/s and the median of the per-pair ratios.
// Usage: node benchmarks/scripts/generate-paired.mjs [calls=40]
import { readFileSync } from 'node:fs';
import { createJsBackend } from '@rlhf/backend-js';
import { createOnnxRuntimeBackend } from '@rlhf/backend-onnxruntime';
import { convertLlama2c, generate, modelFromContent } from '@rlhf/models';

const calls = Number(process.argv[2] ?? 40);
const dir = new URL('../../data/models/stories260K/', import.meta.url);
const content = convertLlama2c(readFileSync(new URL('stories260K.bin', dir)), readFileSync(new URL('tok512.bin', dir)));
const models = {
  onnxruntime: modelFromContent(content, createOnnxRuntimeBackend()),
  js: modelFromContent(content, createJsBackend()),
};
const times = { onnxruntime: [], js: [] };
let produced = 0;
for (let i = 0; i < calls; i++) {
  const order = i % 2 === 0 ? ['onnxruntime', 'js'] : ['js', 'onnxruntime'];
  for (const name of order) {
    const started = performance.now();
    const { sequences } = await generate(models[name], [[1]], { maxNewTokens: 200, temperature: 0 });
    times[name].push(performance.now() - started);
    produced = sequences[0].length;
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const phase = (from, to) => {
  const ort = times.onnxruntime.slice(from - 1, to);
  const js = times.js.slice(from - 1, to);
  return {
    calls: `${from}-${to}`,
    onnxruntimeTokensPerS: Math.round(produced / (median(ort) / 1000)),
    jsTokensPerS: Math.round(produced / (median(js) / 1000)),
    pairedRatio: Number(median(ort.map((t, k) => js[k] / t)).toFixed(2)),
  };
};
console.log(JSON.stringify({ tokens: produced, headline: phase(2, 4), steady: phase(21, Math.min(40, calls)) }));
