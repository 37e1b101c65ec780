import type { LlamaConfig } from '@rlhf/models';

/**
 * The small Llama benchmark model shared by every backend and by the PyTorch comparison (issue 8):
 * 4 layers, d = 256, 4 heads, SwiGLU 688, vocab 512, untied head — 3,426,560 parameters.
 * Trained on batches of 8 × 128 tokens.
 */
export const LLAMA_BENCH_CONFIG: LlamaConfig = {
  model_type: 'llama',
  vocab_size: 512,
  hidden_size: 256,
  intermediate_size: 688,
  num_hidden_layers: 4,
  num_attention_heads: 4,
  num_key_value_heads: 4,
  max_position_embeddings: 128,
  rms_norm_eps: 1e-5,
  rope_theta: 10000,
  tie_word_embeddings: false,
};

/** Batch of the Llama benchmark: 8 sequences of 128 tokens. */
export const LLAMA_BENCH_BATCH = { batchSize: 8, seqLen: 128 } as const;

/** A tiny model of the same shape family, for `--quick` runs and the smoke test. */
export const LLAMA_QUICK_CONFIG: LlamaConfig = {
  ...LLAMA_BENCH_CONFIG,
  vocab_size: 64,
  hidden_size: 32,
  intermediate_size: 64,
  num_hidden_layers: 1,
  num_attention_heads: 2,
  num_key_value_heads: 2,
  max_position_embeddings: 16,
};

/** Batch of the `--quick` Llama run. */
export const LLAMA_QUICK_BATCH = { batchSize: 2, seqLen: 16 } as const;

/** Parameters of a Llama with this configuration (embeddings, blocks, final norm, head), no biases. */
export function llamaParameterCount(c: LlamaConfig): number {
  const d = c.hidden_size;
  const heads = c.num_attention_heads;
  const headDim = c.head_dim ?? d / heads;
  const kv = c.num_key_value_heads ?? heads;
  const attention = d * heads * headDim * 2 + d * kv * headDim * 2; // q, o and k, v
  const mlp = 3 * d * c.intermediate_size;
  const block = attention + mlp + 2 * d;
  const head = c.tie_word_embeddings ? 0 : c.vocab_size * d;
  return c.vocab_size * d + c.num_hidden_layers * block + d + head;
}
