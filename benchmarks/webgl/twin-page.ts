/**
 * Page of the webgl comparison (bundled by ./run-webgl-twin.mjs): our Llama 3.43M step on backend-tfjs and
 * its TensorFlow.js twin, both on tfjs's webgl backend in the same page. Sets `globalThis.__bench`.
 */

import { createTfjsBackend } from '@rlhf/backend-tfjs';
import { AdamW, clipGradNorm, crossEntropy, decayGroups, Random, tensor, tidy } from '@rlhf/core';
import { LlamaForCausalLM } from '@rlhf/models';
import * as tf from '@tensorflow/tfjs';
import { LLAMA_BENCH_BATCH, LLAMA_BENCH_CONFIG } from '../src/llama-configs.js';
import { LlamaTfjsTwin, type Tf } from '../src/tfjs-twin/llama-tfjs-twin.js';

declare const __STEPS__: { warmup: number; repeats: number };
const state = globalThis as unknown as { __bench?: unknown; __log?: string[] };
state.__log = [];
const log = (m: string) => state.__log?.push(m);

async function timeSteps(step: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < __STEPS__.warmup; i++) await step();
  const ms: number[] = [];
  for (let i = 0; i < __STEPS__.repeats; i++) {
    const t0 = performance.now();
    await step();
    ms.push(performance.now() - t0);
    log(`step ${ms.at(-1)?.toFixed(0)} ms`);
  }
  return ms.sort((a, b) => a - b);
}

async function main() {
  const { batchSize, seqLen } = LLAMA_BENCH_BATCH;
  const c = LLAMA_BENCH_CONFIG;
  const backend = await createTfjsBackend({ tf: tf as never, backendName: 'webgl' });
  const rng = new Random(1);
  const ids = () => Int32Array.from({ length: batchSize * seqLen }, () => rng.int(c.vocab_size));
  // Ours: forward, cross-entropy, backward, clip to 1, AdamW (decay 0.01 on matrices), as llama-train-step.
  const model = new LlamaForCausalLM(backend, c, new Random(0));
  const opt = new AdamW(decayGroups(model, 0.01), { lr: 3e-4 });
  const [x, y] = [
    tensor(backend, ids(), [batchSize, seqLen], 'int32'),
    tensor(backend, ids(), [batchSize, seqLen], 'int32'),
  ];
  const params = model.parameters();
  const ours = await timeSteps(async () => {
    const loss = tidy(() => {
      const l = crossEntropy(model.forward(x).logits, y);
      l.backward();
      return l;
    });
    clipGradNorm(params, 1).dispose();
    opt.step();
    opt.zeroGrad();
    await loss.item();
    loss.dispose();
  });
  model.dispose();
  opt.dispose();
  const twin = new LlamaTfjsTwin(tf as unknown as Tf, c, seqLen, 0);
  const [tx, ty] = [tf.tensor2d(ids(), [batchSize, seqLen], 'int32'), tf.tensor2d(ids(), [batchSize, seqLen], 'int32')];
  const theirs = await timeSteps(async () => {
    const loss = twin.step(tx, ty);
    await loss.data();
    loss.dispose();
  });
  const median = (v: number[]) =>
    v.length % 2 === 1
      ? (v[v.length >> 1] as number)
      : ((v[v.length / 2 - 1] as number) + (v[v.length / 2] as number)) / 2;
  const tokens = batchSize * seqLen;
  const gl = (tf.backend() as unknown as { gpgpu: { gl: WebGLRenderingContext } }).gpgpu.gl;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  state.__bench = {
    renderer: info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'unknown',
    oursMs: ours,
    twinMs: theirs,
    oursTokensPerS: tokens / (median(ours) / 1000),
    twinTokensPerS: tokens / (median(theirs) / 1000),
    ratio: median(theirs) / median(ours),
  };
}

main().catch((error) => {
  state.__bench = { error: String(error?.stack ?? error) };
});
