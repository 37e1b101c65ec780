import { Random } from '@rlhf/core';
import { GPT2LMHeadModel } from '@rlhf/models';
import { GPT2_BENCH_BATCH, GPT2_BENCH_CONFIG, GPT2_QUICK_BATCH, GPT2_QUICK_CONFIG } from '../gpt2-configs.js';
import { measureTrainStep, trainStepFigure } from '../train-step.js';
import type { Benchmark } from './types.js';

/** Warm-up and measured steps, for this backend and PyTorch alike (a step is 0.8 TFLOP). */
const SCHEDULE = { warmup: 1, repeats: 2 };

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
  schedule: SCHEDULE,
  async run({ backend, quick, repeats, log }) {
    const config = quick ? GPT2_QUICK_CONFIG : GPT2_BENCH_CONFIG;
    const { batchSize, seqLen } = quick ? GPT2_QUICK_BATCH : GPT2_BENCH_BATCH;
    const model = new GPT2LMHeadModel(backend, config, new Random(0));
    log(`gpt2-train-step: ${model.parameterCount().toLocaleString('en-US')} parameters, batch ${batchSize}×${seqLen}`);
    const m = await measureTrainStep(backend, model, {
      vocab: config.vocab_size,
      batchSize,
      seqLen,
      warmup: quick ? 0 : SCHEDULE.warmup,
      repeats: repeats ?? (quick ? 1 : SCHEDULE.repeats),
    });
    return trainStepFigure(
      m,
      {
        layers: config.n_layer,
        hidden: config.n_embd,
        heads: config.n_head,
        vocab: config.vocab_size,
      },
      batchSize,
      seqLen,
    );
  },
};
