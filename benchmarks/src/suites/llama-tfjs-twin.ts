import { Random, type TensorBackend } from '@rlhf/core';
import { LlamaForCausalLM } from '@rlhf/models';
import { LLAMA_BENCH_BATCH, LLAMA_BENCH_CONFIG, LLAMA_QUICK_BATCH, LLAMA_QUICK_CONFIG } from '../llama-configs.js';
import { LlamaTfjsTwin, type Tf } from '../tfjs-twin/llama-tfjs-twin.js';
import { measure } from '../timing.js';
import { measureTrainStep } from '../train-step.js';
import { type Benchmark, stepsOf } from './types.js';

/**
 * Loads `@tensorflow/tfjs` (tfjs-core's bundles register no gradients; this package's bundle registers
 * them all) only when the benchmark runs, so that importing the suites does not register tfjs's cpu
 * backend before backend-tfjs picks its tfjs backend. Returns the tfjs backend the twin runs on: the one
 * `backend` runs on when it is backend-tfjs, otherwise wasm (or cpu when wasm is not installed).
 */
async function tfjsFor(backend: TensorBackend): Promise<{ tf: Tf; on: string }> {
  const tf = (await import('@tensorflow/tfjs')) as unknown as Tf;
  const own = (backend as { tfjsBackend?: string }).tfjsBackend;
  if (backend.name === 'tfjs' && own) return { tf, on: own };
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    if (await tf.setBackend('wasm')) return { tf, on: 'wasm' };
  } catch {
    // wasm not installed: cpu
  }
  await tf.setBackend('cpu');
  return { tf, on: 'cpu' };
}

/**
 * The TensorFlow.js twin of `llama-train-step` (issue 17): the same 3.43M Llama step (8 × 128 tokens)
 * written as a TensorFlow.js user writes it (tfjs ops, `tf.variableGrads`, `tf.train.adam`), timed on
 * the same tfjs backend in the same run as our step on the backend under test, one after the other
 * with the same schedule. The headline figure is the twin's tokens/s; `params.ours` is our step's and
 * `params.oursOverTwin` the ratio (goal ≥ 1.5 on backend-tfjs with tfjs's wasm backend in Node).
 */
export const llamaTfjsTwinBenchmark: Benchmark = {
  name: 'llama-train-step-tfjs-twin',
  description: 'TensorFlow.js twin of the Llama 3.43M step (tf.variableGrads + tf.train.adam), tokens/s',
  schedule: { warmup: 2, repeats: 5 },
  async run({ backend, quick, repeats, log }) {
    const config = quick ? LLAMA_QUICK_CONFIG : LLAMA_BENCH_CONFIG;
    const { batchSize, seqLen } = quick ? LLAMA_QUICK_BATCH : LLAMA_BENCH_BATCH;
    const steps = stepsOf(this.schedule ?? { warmup: 2, repeats: 5 }, quick, repeats);
    const ours = await measureTrainStep(backend, new LlamaForCausalLM(backend, config, new Random(0)), {
      vocab: config.vocab_size,
      batchSize,
      seqLen,
      ...steps,
      probeLastParameter: true,
    });
    const { tf, on } = await tfjsFor(backend);
    const twin = new LlamaTfjsTwin(tf, config, seqLen, 0);
    log(`llama-train-step-tfjs-twin: ${twin.parameterCount().toLocaleString('en-US')} parameters on tfjs ${on}`);
    const rng = new Random(1);
    const randomIds = () => Int32Array.from({ length: batchSize * seqLen }, () => rng.int(config.vocab_size));
    const ids = tf.tensor2d(randomIds(), [batchSize, seqLen], 'int32');
    const targets = tf.tensor2d(randomIds(), [batchSize, seqLen], 'int32');
    const losses: number[] = [];
    const tensorsBefore = tf.memory().numTensors;
    let tensorsAfterFirst = 0;
    try {
      const timing = await measure(
        async () => {
          const loss = twin.step(ids, targets);
          losses.push((await loss.data())[0] as number);
          loss.dispose();
          const probe = tf.slice(twin.lastWeight(), [0, 0], [1, 1]);
          await probe.data();
          probe.dispose();
          if (losses.length === 1) tensorsAfterFirst = tf.memory().numTensors; // with Adam's moments
        },
        steps.warmup,
        steps.repeats,
      );
      const tokens = batchSize * seqLen;
      const oursTokensPerS = tokens / (ours.timing.medianMs / 1000);
      const twinTokensPerS = tokens / (timing.medianMs / 1000);
      return {
        metric: 'tokens/s',
        value: twinTokensPerS,
        ...timing,
        params: {
          twinOn: `tfjs ${on}`,
          parameters: twin.parameterCount(),
          batchSize,
          seqLen,
          firstLoss: losses[0] ?? Number.NaN,
          lastLoss: losses[losses.length - 1] ?? Number.NaN,
          leakedTensors: tf.memory().numTensors - tensorsAfterFirst,
          tensorsBefore,
          ours: oursTokensPerS,
          oursMedianMs: ours.timing.medianMs,
          oursOverTwin: oursTokensPerS / twinTokensPerS,
        },
      };
    } finally {
      ids.dispose();
      targets.dispose();
      twin.dispose();
    }
  },
};
