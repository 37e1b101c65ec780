import { AdamW, clipGradNorm, crossEntropy, decayGroups, memoryInfo, Random, tensor, tidy } from '@rlhf/core';
import { GPT2LMHeadModel } from '@rlhf/models';
import { GPT2_BENCH_BATCH, GPT2_BENCH_CONFIG, GPT2_QUICK_BATCH, GPT2_QUICK_CONFIG } from '../gpt2-configs.js';
import { withPeakRss } from '../peak-memory.js';
import { measure } from '../timing.js';
import type { Benchmark } from './types.js';

/**
 * Tokens/s of one training step of a GPT-2-small-shaped model (12 layers, d = 768, 12 heads, vocab
 * 50257, tied head; batch 4 × 256): forward, cross-entropy, backward, clipping to 1, AdamW (weight decay
 * 0.01 on matrices), zero-grad — the step `benchmarks/pytorch/train_step.py --model gpt2` times (issue 8).
 * Full size only on the backends fast enough for 0.8 TFLOP per step; `--quick` runs a tiny GPT-2 on all.
 */
export const gpt2TrainStepBenchmark: Benchmark = {
  name: 'gpt2-train-step',
  description: 'GPT-2-small shape (124M) training step, batch 4×256, tokens/s',
  onlyBackends: ['onnxruntime'],
  pytorchModel: 'gpt2',
  async run({ backend, quick, repeats, log }) {
    const config = quick ? GPT2_QUICK_CONFIG : GPT2_BENCH_CONFIG;
    const { batchSize, seqLen } = quick ? GPT2_QUICK_BATCH : GPT2_BENCH_BATCH;
    const model = new GPT2LMHeadModel(backend, config, new Random(0));
    const parameters = model.parameterCount();
    log(`gpt2-train-step: ${parameters.toLocaleString('en-US')} parameters, batch ${batchSize}×${seqLen}`);
    const opt = new AdamW(decayGroups(model, 0.01), { lr: 3e-4 });
    const rng = new Random(1);
    const randomIds = () => Int32Array.from({ length: batchSize * seqLen }, () => rng.int(config.vocab_size));
    const ids = tensor(backend, randomIds(), [batchSize, seqLen], 'int32');
    const targets = tensor(backend, randomIds(), [batchSize, seqLen], 'int32');
    const params = model.parameters();
    const losses: number[] = [];
    let buffersAfterFirstStep = 0;
    try {
      const { result: timing, peakRssMB } = await withPeakRss(() =>
        measure(
          async () => {
            const loss = tidy(() => {
              const l = crossEntropy(model.forward(ids).logits, targets); // (B, T, V), (B, T) → ()
              l.backward();
              return l;
            });
            clipGradNorm(params, 1).dispose();
            opt.step();
            opt.zeroGrad();
            losses.push(await loss.item()); // the read runs the whole step on lazy backends
            loss.dispose();
            if (losses.length === 1) buffersAfterFirstStep = memoryInfo(backend).liveBuffers;
          },
          quick ? 0 : 1,
          repeats ?? (quick ? 1 : 2),
        ),
      );
      return {
        metric: 'tokens/s',
        value: (batchSize * seqLen) / (timing.medianMs / 1000),
        ...timing,
        params: {
          parameters,
          layers: config.n_layer,
          hidden: config.n_embd,
          heads: config.n_head,
          vocab: config.vocab_size,
          batchSize,
          seqLen,
          steps: losses.length,
          firstLoss: losses[0] ?? Number.NaN,
          lastLoss: losses[losses.length - 1] ?? Number.NaN,
          leakedBuffers: memoryInfo(backend).liveBuffers - buffersAfterFirstStep,
          peakRssMB: Math.round(peakRssMB),
        },
      };
    } finally {
      ids.dispose();
      targets.dispose();
      opt.dispose();
      model.dispose();
    }
  },
};
