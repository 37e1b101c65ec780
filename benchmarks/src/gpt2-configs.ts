import type { GPT2Config } from '@rlhf/models';

/**
 * The GPT-2-small shape of the benchmarks (issue 8): 12 layers, d = 768, 12 heads, vocab 50257, 1024
 * positions, MLP 3072, head tied to the token embedding — 124,439,808 parameters. Trained on batches of
 * 4 × 256 tokens.
 *
 * @example
 * ```ts
 * const model = new GPT2LMHeadModel(backend, GPT2_BENCH_CONFIG, new Random(0));
 * ```
 */
export const GPT2_BENCH_CONFIG: GPT2Config = {
  model_type: 'gpt2',
  vocab_size: 50257,
  n_positions: 1024,
  n_embd: 768,
  n_layer: 12,
  n_head: 12,
};

/** Batch of the GPT-2 benchmark: 4 sequences of 256 tokens. */
export const GPT2_BENCH_BATCH = { batchSize: 4, seqLen: 256 } as const;

/** A tiny GPT-2 for `--quick` runs (same code path, every backend). */
export const GPT2_QUICK_CONFIG: GPT2Config = {
  ...GPT2_BENCH_CONFIG,
  vocab_size: 64,
  n_positions: 16,
  n_embd: 32,
  n_layer: 1,
  n_head: 2,
};

/** Batch of the `--quick` GPT-2 run. */
export const GPT2_QUICK_BATCH = { batchSize: 2, seqLen: 16 } as const;
