import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { AdamW, clipGradNorm, crossEntropy, memoryInfo, Random, tensor, tidy } from '@rlhf/core';
import { createCausalLM } from '@rlhf/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createTfjsBackend } from './index.js';

/** A one-layer Llama (d = 8, 2 heads, vocab 16): every fused kernel, gather and scatterAdd in each step. */
const TINY = {
  model_type: 'llama',
  vocab_size: 16,
  hidden_size: 8,
  intermediate_size: 16,
  num_hidden_layers: 1,
  num_attention_heads: 2,
  num_key_value_heads: 2,
  max_position_embeddings: 8,
  rms_norm_eps: 1e-5,
  rope_theta: 10000,
  tie_word_embeddings: false,
};

describe.each(['cpu', 'wasm'])('tfjs-%s: memory over 1,000 training steps', (tfjsBackend) => {
  it('tf.memory().numTensors is flat (forward, backward, clip, AdamW) and back to the start after disposal', async () => {
    const backend = await createTfjsBackend({ tf, backendName: tfjsBackend });
    const start = tf.memory().numTensors;
    const model = createCausalLM(backend, TINY, new Random(3));
    const opt = new AdamW(model.parameters(), { lr: 1e-2 });
    const rng = new Random(7);
    const ids = tensor(
      backend,
      Int32Array.from({ length: 2 * 8 }, () => rng.int(16)),
      [2, 8],
      'int32',
    );
    const targets = tensor(
      backend,
      Int32Array.from({ length: 2 * 8 }, () => rng.int(16)),
      [2, 8],
      'int32',
    );
    const counts: number[] = [];
    const losses: number[] = [];
    for (let step = 0; step < 1000; step++) {
      const loss = tidy(() => {
        const l = crossEntropy(model.forward(ids).logits, targets); // (B, T, V), (B, T) → ()
        l.backward();
        return l;
      });
      clipGradNorm(model.parameters(), 1).dispose();
      opt.step();
      opt.zeroGrad();
      if (step % 100 === 0 || step === 999) losses.push(await loss.item());
      loss.dispose();
      counts.push(tf.memory().numTensors);
    }
    console.log(
      `tfjs-${tfjsBackend}: numTensors after step 1 ${counts[0]}, after step 1000 ${counts[999]}; loss ${losses[0]} → ${losses.at(-1)}`,
    );
    expect(new Set(counts.slice(1)).size, 'numTensors constant from step 2 to step 1000').toBe(1);
    expect(counts[999]).toBe(counts[0]);
    expect(counts[0]).toBe(start + memoryInfo(backend).liveBuffers);
    expect(losses.at(-1), 'the steps really train').toBeLessThan((losses[0] as number) / 2);
    ids.dispose();
    targets.dispose();
    opt.dispose();
    model.dispose();
    expect(backend.memory().liveBuffers).toBe(0);
    expect(tf.memory().numTensors).toBe(start);
  });
});
