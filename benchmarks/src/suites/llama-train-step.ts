import { Random } from '@rlhf/core';
import { LlamaForCausalLM } from '@rlhf/models';
import { LLAMA_BENCH_BATCH, LLAMA_BENCH_CONFIG, LLAMA_QUICK_BATCH, LLAMA_QUICK_CONFIG } from '../llama-configs.js';
import { trainStepBenchmark } from '../train-step.js';

/**
 * Tokens/s of one training step of the small Llama benchmark model (4 layers, d = 256, 4 heads, SwiGLU
 * 688, vocab 512, untied head; batch 8 × 128): forward, cross-entropy, backward, global-norm clipping
 * to 1, AdamW (weight decay 0.01 on matrices), zero-grad — the step PyTorch is compared on (issue 8).
 * Each step ends by reading the loss and one element of the last parameter updated. 3 warm-up and 10
 * measured steps, for this backend and PyTorch alike: memory arenas (onnxruntime's, V8's) and allocators
 * settle over the first steps, and a training run lasts thousands of steps, so the steady state is what
 * is compared. Four rounds against PyTorch (not the default two): this step is short, and the machine's
 * drift moved single two-round ratios by ±10 %.
 */
export const llamaTrainStepBenchmark = trainStepBenchmark({
  name: 'llama-train-step',
  description: 'Llama 3.43M training step (fwd+bwd+clip+AdamW), batch 8×128, tokens/s',
  pytorchModel: 'llama',
  schedule: { warmup: 3, repeats: 10 },
  rounds: 4,
  probeLastParameter: true,
  setup(backend, quick) {
    const config = quick ? LLAMA_QUICK_CONFIG : LLAMA_BENCH_CONFIG;
    const { batchSize, seqLen } = quick ? LLAMA_QUICK_BATCH : LLAMA_BENCH_BATCH;
    return {
      model: new LlamaForCausalLM(backend, config, new Random(0)),
      vocab: config.vocab_size,
      batchSize,
      seqLen,
      shape: {
        layers: config.num_hidden_layers,
        hidden: config.hidden_size,
        heads: config.num_attention_heads,
        intermediate: config.intermediate_size,
        vocab: config.vocab_size,
      },
    };
  },
});
