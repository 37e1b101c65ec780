import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createJsBackend } from '@rlhf/backend-js';
import {
  AdamW,
  clipGradNorm,
  crossEntropy,
  decayGroups,
  memoryInfo,
  Random,
  type TensorBackend,
  tensor,
  tidy,
} from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { LlamaForCausalLM } from './llama-for-causal-lm.js';

const text = readFileSync(
  fileURLToPath(new URL('../../../../data/corpora/tinyshakespeare.txt', import.meta.url)),
  'utf8',
);
const chars = [...new Set(text)].sort();
const vocab = chars.length;
const ids = Int32Array.from(text, (c) => chars.indexOf(c));

function smallLlama(backend: TensorBackend, seed: number): LlamaForCausalLM {
  return new LlamaForCausalLM(
    backend,
    {
      vocab_size: vocab,
      hidden_size: 64,
      intermediate_size: 172,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      max_position_embeddings: 64,
      rms_norm_eps: 1e-5,
      tie_word_embeddings: false,
    },
    new Random(seed),
  );
}

/** Trains on random windows of characters; returns the loss of every step. */
async function train(seed: number, steps: number, batch = 8, seqLen = 32, lr = 3e-3): Promise<number[]> {
  const backend = createJsBackend();
  const model = smallLlama(backend, seed);
  const opt = new AdamW(decayGroups(model, 0.01), { lr });
  const rng = new Random(seed + 1);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const x = new Int32Array(batch * seqLen);
    const y = new Int32Array(batch * seqLen);
    for (let b = 0; b < batch; b++) {
      const start = rng.int(ids.length - seqLen - 1);
      x.set(ids.subarray(start, start + seqLen), b * seqLen);
      y.set(ids.subarray(start + 1, start + seqLen + 1), b * seqLen);
    }
    const loss = tidy(() => {
      const logits = model.forward(tensor(backend, x, [batch, seqLen], 'int32')).logits;
      const l = crossEntropy(logits, tensor(backend, y, [batch, seqLen], 'int32'));
      l.backward();
      return l;
    });
    clipGradNorm(model.parameters(), 1).dispose();
    opt.step();
    opt.zeroGrad();
    losses.push(await loss.item());
    loss.dispose();
  }
  return losses;
}

describe('a small Llama-style model trained from scratch on tinyshakespeare characters (backend-js)', () => {
  it('loss falls from ≈ ln(vocab) to clearly below it', async () => {
    const losses = await train(1234, 150);
    const first = losses[0] as number;
    const last10 = losses.slice(-10).reduce((a, b) => a + b, 0) / 10;
    console.log(
      `vocab ${vocab}, ln(vocab) ${Math.log(vocab).toFixed(3)}, first loss ${first.toFixed(3)}, mean of last 10 ${last10.toFixed(3)}`,
    );
    expect(Math.abs(first - Math.log(vocab))).toBeLessThan(0.15);
    expect(last10).toBeLessThan(Math.log(vocab) - 1.2);
  });

  it('two runs with the same seed give bit-identical loss histories; another seed differs', async () => {
    const a = await train(99, 8);
    const b = await train(99, 8);
    const c = await train(100, 8);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('200 training steps leave the live-buffer count where it was after the first step', async () => {
    const backend = createJsBackend();
    const model = smallLlama(backend, 5);
    const opt = new AdamW(decayGroups(model, 0.01), { lr: 1e-3 });
    const x = tensor(backend, ids.subarray(0, 16), [1, 16], 'int32');
    const y = tensor(backend, ids.subarray(1, 17), [1, 16], 'int32');
    const counts: number[] = [];
    for (let step = 0; step < 200; step++) {
      const loss = tidy(() => {
        const l = crossEntropy(model.forward(x).logits, y);
        l.backward();
        return l;
      });
      clipGradNorm(model.parameters(), 1).dispose();
      opt.step();
      opt.zeroGrad();
      loss.dispose();
      counts.push(memoryInfo(backend).liveBuffers);
    }
    expect(counts[199]).toBe(counts[0]);
    expect(new Set(counts).size).toBe(1);
  });
});
