import { AdamW, clipGradNorm, crossEntropy, decayGroups, memoryInfo, Random, slice, tensor, tidy } from '@rlhf/core';
import { LlamaForCausalLM } from '@rlhf/models';
import { LLAMA_BENCH_BATCH, LLAMA_BENCH_CONFIG, LLAMA_QUICK_BATCH, LLAMA_QUICK_CONFIG } from '../llama-configs.js';
import { withPeakRss } from '../peak-memory.js';
import { measure } from '../timing.js';
import type { Benchmark } from './types.js';

/**
 * Tokens/s of one training step of the small Llama benchmark model (4 layers, d = 256, 4 heads, SwiGLU
 * 688, vocab 512, untied head; batch 8 × 128): forward, cross-entropy, backward, global-norm clipping
 * to 1, AdamW (weight decay 0.01 on matrices), zero-grad — the step PyTorch is compared on (issue 8).
 * Each step ends by reading the loss and one element of the last parameter updated.
 */
export const llamaTrainStepBenchmark: Benchmark = {
  name: 'llama-train-step',
  description: 'Llama 3.43M training step (fwd+bwd+clip+AdamW), batch 8×128, tokens/s',
  pytorchModel: 'llama',
  async run({ backend, quick, repeats, log }) {
    const config = quick ? LLAMA_QUICK_CONFIG : LLAMA_BENCH_CONFIG;
    const { batchSize, seqLen } = quick ? LLAMA_QUICK_BATCH : LLAMA_BENCH_BATCH;
    const model = new LlamaForCausalLM(backend, config, new Random(0));
    const parameters = model.parameterCount();
    log(`llama-train-step: ${parameters.toLocaleString('en-US')} parameters, batch ${batchSize}×${seqLen}`);
    const opt = new AdamW(decayGroups(model, 0.01), { lr: 3e-4 });
    const rng = new Random(1);
    const randomIds = () => Int32Array.from({ length: batchSize * seqLen }, () => rng.int(config.vocab_size));
    const ids = tensor(backend, randomIds(), [batchSize, seqLen], 'int32');
    const targets = tensor(backend, randomIds(), [batchSize, seqLen], 'int32');
    const params = model.parameters();
    const last = params[params.length - 1];
    let firstLoss = Number.NaN;
    let lastLoss = Number.NaN;
    let buffersAfterFirstStep = 0;
    let steps = 0;
    const warmup = quick ? 0 : 1;
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
            lastLoss = await loss.item();
            loss.dispose();
            if (last) {
              const probe = tidy(() =>
                slice(
                  last,
                  last.shape.map(() => 0),
                  last.shape.map(() => 1),
                ),
              );
              await probe.data();
              probe.dispose();
            }
            if (steps === 0) {
              firstLoss = lastLoss;
              buffersAfterFirstStep = memoryInfo(backend).liveBuffers; // now with AdamW's moments
            }
            steps++;
          },
          warmup,
          repeats ?? (quick ? 1 : 3),
        ),
      );
      // Buffers left behind by steps after the first (0 for a leak-free step).
      const leakedBuffers = memoryInfo(backend).liveBuffers - buffersAfterFirstStep;
      return {
        metric: 'tokens/s',
        value: (batchSize * seqLen) / (timing.medianMs / 1000),
        ...timing,
        params: {
          parameters,
          layers: config.num_hidden_layers,
          hidden: config.hidden_size,
          heads: config.num_attention_heads,
          intermediate: config.intermediate_size,
          vocab: config.vocab_size,
          batchSize,
          seqLen,
          steps,
          firstLoss,
          lastLoss,
          leakedBuffers,
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
