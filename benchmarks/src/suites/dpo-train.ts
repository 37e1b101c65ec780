import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Random, type TensorBackend } from '@rlhf/core';
import { DPOTrainer, type TokenizedPreferencePair } from '@rlhf/dpo';
import { type CausalLM, convertLlama2c, LlamaForCausalLM, modelFromContent } from '@rlhf/models';
import { LLAMA_BENCH_CONFIG, LLAMA_QUICK_CONFIG } from '../llama-configs.js';
import { measure } from '../timing.js';
import type { BenchContext, BenchMeasurement, Benchmark } from './types.js';

const DATA_DIR = fileURLToPath(new URL('../../../data/', import.meta.url));

interface DpoSetup {
  policy: CausalLM;
  reference: CausalLM;
  pairs: TokenizedPreferencePair[];
  /** Pairs per step (each pair is two sequences). */
  batchPairs: number;
  /** Tokens per sequence (prompt + response). */
  seqLen: number;
}

/**
 * Times whole `DPOTrainer.huan_luyen` runs of `steps` optimizer steps (batch × 1 accumulation) on
 * pre-tokenised pairs, so the figure is the DPO step's: collation of the concatenated (2B, T) batch, the
 * reference's forward pass (no tape), the policy's forward and backward, the sigmoid loss, clipping, AdamW,
 * logging. tokens/s counts the policy's input tokens (both sequences of every pair).
 */
async function timeDpo({ quick, repeats }: BenchContext, setup: DpoSetup, steps: number): Promise<BenchMeasurement> {
  const { policy, reference, pairs, batchPairs, seqLen } = setup;
  let tokens = 0;
  let lastLoss = Number.NaN;
  let lastMargin = Number.NaN;
  try {
    const timing = await measure(
      async () => {
        const trainer = new DPOTrainer({
          max_steps: steps,
          kich_thuoc_batch: batchPairs,
          gradient_accumulation: 1,
          toc_do_hoc: 1e-4,
          max_seq_length: seqLen,
          logging_steps: steps,
        });
        const result = await trainer.huan_luyen(policy, reference, pairs);
        tokens = trainer.thong_ke().tokens_seen;
        lastLoss = result.history.train_loss.at(-1) ?? Number.NaN;
        lastMargin = result.final_reward_margin;
      },
      quick ? 0 : 1,
      repeats ?? (quick ? 1 : 3),
    );
    return {
      metric: 'tokens/s',
      value: tokens / (timing.medianMs / 1000),
      ...timing,
      params: {
        parameters: policy.parameterCount(),
        pairsPerStep: batchPairs,
        sequencesPerStep: 2 * batchPairs,
        seqLen,
        steps,
        tokensPerRun: tokens,
        lastLoss,
        lastMargin,
      },
    };
  } finally {
    policy.dispose();
    reference.dispose();
  }
}

/** Random pairs: a `promptLen` prompt (BOS first) and two responses filling the sequence. */
function randomPairs(count: number, promptLen: number, seqLen: number, vocab: number): TokenizedPreferencePair[] {
  const rng = new Random(1);
  const ids = (n: number) => Array.from({ length: n }, () => 3 + rng.int(vocab - 3));
  return Array.from({ length: count }, () => ({
    prompt_input_ids: [1, ...ids(promptLen - 1)],
    chosen_input_ids: ids(seqLen - promptLen),
    rejected_input_ids: ids(seqLen - promptLen),
  }));
}

/** stories260K (policy and reference), its own stories as pairs of 64-token sequences, 4 pairs a step. */
function storiesSetup(backend: TensorBackend, quick: boolean): DpoSetup {
  const dir = `${DATA_DIR}models/stories260K/`;
  const content = convertLlama2c(readFileSync(`${dir}stories260K.bin`), readFileSync(`${dir}tok512.bin`));
  const [batchPairs, seqLen] = quick ? [2, 32] : [4, 64];
  return {
    policy: modelFromContent(content, backend),
    reference: modelFromContent(content, backend),
    pairs: randomPairs(batchPairs * 4, seqLen / 2, seqLen, content.config.vocab_size as number),
    batchPairs,
    seqLen,
  };
}

/** The small Llama benchmark model (3.43M): 4 pairs × 2 sequences × 128 tokens a step, the 1,024 tokens of `llama-train-step`. */
function llamaSetup(backend: TensorBackend, quick: boolean): DpoSetup {
  const config = quick ? LLAMA_QUICK_CONFIG : LLAMA_BENCH_CONFIG;
  const [batchPairs, seqLen] = quick ? [1, 16] : [4, 128];
  const policy = new LlamaForCausalLM(backend, config, new Random(0));
  const reference = new LlamaForCausalLM(backend, config, new Random(0));
  return {
    policy,
    reference,
    pairs: randomPairs(batchPairs * 4, seqLen / 2, seqLen, config.vocab_size),
    batchPairs,
    seqLen,
  };
}

/** DPOTrainer throughput on stories260K, 4 pairs of 64-token sequences a step. */
export const dpoStoriesBenchmark: Benchmark = {
  name: 'dpo-stories260k',
  description: 'DPOTrainer step on stories260K (policy + frozen reference), 4 pairs × 2 × 64 tokens, tokens/s',
  run: (context) => timeDpo(context, storiesSetup(context.backend, context.quick), context.quick ? 1 : 4),
};

/** DPOTrainer throughput on the small Llama benchmark model (3.43M), 4 pairs × 2 × 128 tokens a step. */
export const dpoLlamaBenchmark: Benchmark = {
  name: 'dpo-llama-3m',
  description: 'DPOTrainer step on the Llama 3.43M benchmark model, 4 pairs × 2 × 128 tokens, tokens/s',
  run: (context) => timeDpo(context, llamaSetup(context.backend, context.quick), context.quick ? 1 : 2),
};
