import { Random } from '@rlhf/core';
import { GPT2LMHeadModel } from '@rlhf/models';
import { GPT2_BENCH_BATCH, GPT2_BENCH_CONFIG, GPT2_QUICK_BATCH, GPT2_QUICK_CONFIG } from '../gpt2-configs.js';
import { trainStepBenchmark } from '../train-step.js';

/**
 * Tokens/s of one training step of a GPT-2-small-shaped model (12 layers, d = 768, 12 heads, vocab
 * 50257, tied head; batch 4 × 256): forward, cross-entropy, backward, clipping to 1, AdamW (weight decay
 * 0.01 on matrices), zero-grad — the step `benchmarks/pytorch/train_step.py --model gpt2` times (issue 8).
 * Full size only on the backends fast enough for 0.8 TFLOP per step (webgpu: on a GPU); `--quick` runs a tiny GPT-2 on all.
 * 1 warm-up and 2 measured steps, for this backend and PyTorch alike.
 */
export const gpt2TrainStepBenchmark = trainStepBenchmark({
  name: 'gpt2-train-step',
  description: 'GPT-2-small shape (124M) training step, batch 4×256, tokens/s',
  onlyBackends: ['onnxruntime', 'webgpu'],
  pytorchModel: 'gpt2',
  schedule: { warmup: 1, repeats: 2 },
  setup(backend, quick) {
    const config = quick ? GPT2_QUICK_CONFIG : GPT2_BENCH_CONFIG;
    const { batchSize, seqLen } = quick ? GPT2_QUICK_BATCH : GPT2_BENCH_BATCH;
    return {
      model: new GPT2LMHeadModel(backend, config, new Random(0)),
      vocab: config.vocab_size,
      batchSize,
      seqLen,
      shape: { layers: config.n_layer, hidden: config.n_embd, heads: config.n_head, vocab: config.vocab_size },
    };
  },
});
