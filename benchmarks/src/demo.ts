/**
 * `pnpm demo`: trains a tiny Llama-style model on the characters of Tiny Shakespeare for 100 steps on
 * backend-js, printing the loss as it falls and a sampled continuation. A stand-in until the RLHF
 * pipeline (SFT → reward → DPO/PPO) is the demo.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createJsBackend } from '@rlhf/backend-js';
import {
  AdamW,
  clipGradNorm,
  cosineSchedule,
  crossEntropy,
  decayGroups,
  noGrad,
  Random,
  slice,
  type TensorBackend,
  tensor,
  tidy,
} from '@rlhf/core';
import { type LlamaConfig, LlamaForCausalLM } from '@rlhf/models';

const CORPUS = fileURLToPath(new URL('../../data/corpora/tinyshakespeare.txt', import.meta.url));
const STEPS = 100;
const BATCH = 16;
const SEQ_LEN = 64;
const SEED = 1234;

/** Characters ↔ ids for a corpus. */
function charVocabulary(text: string): { chars: string[]; encode: (s: string) => number[] } {
  const chars = [...new Set(text)].sort();
  const index = new Map(chars.map((c, i) => [c, i]));
  return { chars, encode: (s) => [...s].map((c) => index.get(c) ?? 0) };
}

/** A random batch of windows: inputs (B, T) and the next characters as targets (B, T). */
function sampleBatch(data: Int32Array, rng: Random): { inputs: Int32Array; targets: Int32Array } {
  const inputs = new Int32Array(BATCH * SEQ_LEN);
  const targets = new Int32Array(BATCH * SEQ_LEN);
  for (let b = 0; b < BATCH; b++) {
    const start = rng.int(data.length - SEQ_LEN - 1);
    inputs.set(data.subarray(start, start + SEQ_LEN), b * SEQ_LEN);
    targets.set(data.subarray(start + 1, start + SEQ_LEN + 1), b * SEQ_LEN);
  }
  return { inputs, targets };
}

/** Samples `n` characters after `prompt` at `temperature`, recomputing the last `SEQ_LEN` positions. */
async function sample(
  backend: TensorBackend,
  model: LlamaForCausalLM,
  ids: number[],
  n: number,
  temperature: number,
  rng: Random,
): Promise<number[]> {
  const out = [...ids];
  model.eval();
  for (let i = 0; i < n; i++) {
    const context = out.slice(-SEQ_LEN);
    const last = noGrad(() =>
      tidy(() => {
        const logits = model.forward(tensor(backend, context, [1, context.length], 'int32')).logits; // (1, T, V)
        return slice(logits, [0, context.length - 1, 0], [1, 1, -1]); // (1, 1, V)
      }),
    );
    const logits = (await last.data()) as Float32Array;
    last.dispose();
    // softmax(logits / temperature) on the host, then inverse-CDF sampling
    const max = Math.max(...logits);
    const weights = Array.from(logits, (l) => Math.exp((l - max) / temperature));
    let u = rng.uniform() * weights.reduce((a, b) => a + b, 0);
    let next = weights.length - 1;
    for (let v = 0; v < weights.length; v++) {
      u -= weights[v] as number;
      if (u <= 0) {
        next = v;
        break;
      }
    }
    out.push(next);
  }
  model.train();
  return out.slice(ids.length);
}

async function main(): Promise<void> {
  const text = readFileSync(CORPUS, 'utf8');
  const vocab = charVocabulary(text);
  const data = Int32Array.from(vocab.encode(text));
  const config: LlamaConfig = {
    model_type: 'llama',
    vocab_size: vocab.chars.length,
    hidden_size: 64,
    intermediate_size: 172,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 4,
    max_position_embeddings: SEQ_LEN,
    rms_norm_eps: 1e-5,
    rope_theta: 10000,
    tie_word_embeddings: false,
  };
  const backend = createJsBackend();
  const rng = new Random(SEED);
  const model = new LlamaForCausalLM(backend, config, rng);
  const opt = new AdamW(decayGroups(model, 0.01), { lr: 3e-3 });
  const lrAt = cosineSchedule({ lr: 3e-3, warmupSteps: 10, totalSteps: STEPS });
  console.log(
    `Tiny Shakespeare: ${data.length.toLocaleString('en-US')} characters, vocabulary ${vocab.chars.length}; ` +
      `Llama-style model, ${config.num_hidden_layers} layers, hidden ${config.hidden_size}, ` +
      `${model.parameterCount().toLocaleString('en-US')} parameters; backend ${backend.name}`,
  );
  console.log(
    `Training ${STEPS} steps of ${BATCH}×${SEQ_LEN} characters (ln ${vocab.chars.length} = ${Math.log(vocab.chars.length).toFixed(3)}):`,
  );
  const started = performance.now();
  for (let step = 0; step < STEPS; step++) {
    const batch = sampleBatch(data, rng);
    const loss = tidy(() => {
      const inputs = tensor(backend, batch.inputs, [BATCH, SEQ_LEN], 'int32');
      const targets = tensor(backend, batch.targets, [BATCH, SEQ_LEN], 'int32');
      const l = crossEntropy(model.forward(inputs).logits, targets); // (B, T, V), (B, T) → ()
      l.backward();
      return l;
    });
    clipGradNorm(model.parameters(), 1).dispose();
    opt.step(lrAt(step));
    opt.zeroGrad();
    const value = await loss.item();
    loss.dispose();
    if (step % 10 === 0 || step === STEPS - 1) {
      const seconds = (performance.now() - started) / 1000;
      console.log(`  step ${String(step + 1).padStart(3)}  loss ${value.toFixed(4)}  (${seconds.toFixed(1)} s)`);
    }
  }
  const prompt = 'ROMEO:\n';
  const continuation = await sample(backend, model, vocab.encode(prompt), 200, 0.8, rng);
  console.log(`\nSample (temperature 0.8):\n${prompt}${continuation.map((i) => vocab.chars[i]).join('')}`);
  opt.dispose();
  model.dispose();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
