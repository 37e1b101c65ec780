import type { HfTensor } from '../hf/hf-directory-content.js';
import { permuteRotaryToHf } from './permute-rotary.js';
import type { Llama2cCheckpoint, Llama2cConfig } from './read-checkpoint.js';

/**
 * `config.json` of a Hugging Face `LlamaForCausalLM`, with the keys `transformers` writes (sorted).
 *
 * @example
 * ```ts
 * const config: HfLlamaConfigJson = llama2cConfigToHf(checkpoint.config);
 * config.rope_theta; // 10000
 * ```
 */
export interface HfLlamaConfigJson {
  /** Model class for `transformers`: `LlamaForCausalLM`. */
  architectures: ['LlamaForCausalLM'];
  /** Biases on q/k/v/o projections (llama2.c has none). */
  attention_bias: boolean;
  /** Attention dropout probability (0). */
  attention_dropout: number;
  /** Beginning-of-sequence id (1 in llama2.c's vocabulary). */
  bos_token_id: number;
  /** End-of-sequence id (2 in llama2.c's vocabulary). */
  eos_token_id: number;
  /** Size of one attention head: `dim / n_heads`. */
  head_dim: number;
  /** MLP activation (`silu`). */
  hidden_act: 'silu';
  /** Model width (llama2.c's `dim`). */
  hidden_size: number;
  /** Std of the normal initialisation (0.02). */
  initializer_range: number;
  /** SwiGLU width (llama2.c's `hidden_dim`). */
  intermediate_size: number;
  /** Longest sequence (llama2.c's `seq_len`). */
  max_position_embeddings: number;
  /** Biases in the MLP (none). */
  mlp_bias: boolean;
  /** `llama`. */
  model_type: 'llama';
  /** Query heads (llama2.c's `n_heads`). */
  num_attention_heads: number;
  /** Decoder layers (llama2.c's `n_layers`). */
  num_hidden_layers: number;
  /** Key/value heads (llama2.c's `n_kv_heads`). */
  num_key_value_heads: number;
  /** Tensor-parallel degree used in pre-training (1). */
  pretraining_tp: number;
  /** RMSNorm ε (1e-5, as `run.c` hard-codes). */
  rms_norm_eps: number;
  /** No RoPE scaling (`null`). */
  rope_scaling: null;
  /** RoPE base θ (10000, as `run.c` hard-codes). */
  rope_theta: number;
  /** Whether the classifier shares the token embedding (llama2.c's shared classifier). */
  tie_word_embeddings: boolean;
  /** Stored precision (`float32`). */
  torch_dtype: 'float32';
  /** Generation may keep a key/value cache (true). */
  use_cache: boolean;
  /** Number of tokens (llama2.c's `vocab_size`). */
  vocab_size: number;
  [key: string]: unknown;
}

/**
 * The Hugging Face `LlamaForCausalLM` config of a llama2.c model (RMSNorm ε 1e-5 and RoPE θ 10000, the
 * values `run.c` hard-codes; BOS 1, EOS 2 as in its sentencepiece vocabulary).
 *
 * @example
 * ```ts
 * const config = llama2cConfigToHf(readLlama2cCheckpoint(bytes).config);
 * config.num_key_value_heads; // 4 for stories260K
 * ```
 */
export function llama2cConfigToHf(c: Llama2cConfig): HfLlamaConfigJson {
  return {
    architectures: ['LlamaForCausalLM'],
    attention_bias: false,
    attention_dropout: 0,
    bos_token_id: 1,
    eos_token_id: 2,
    head_dim: c.dim / c.nHeads,
    hidden_act: 'silu',
    hidden_size: c.dim,
    initializer_range: 0.02,
    intermediate_size: c.hiddenDim,
    max_position_embeddings: c.seqLen,
    mlp_bias: false,
    model_type: 'llama',
    num_attention_heads: c.nHeads,
    num_hidden_layers: c.nLayers,
    num_key_value_heads: c.nKvHeads,
    pretraining_tp: 1,
    rms_norm_eps: 1e-5,
    rope_scaling: null,
    rope_theta: 10000,
    tie_word_embeddings: c.sharedClassifier,
    torch_dtype: 'float32',
    use_cache: true,
    vocab_size: c.vocabSize,
  };
}

/**
 * Renames a llama2.c checkpoint's weights to Hugging Face Llama parameter names, splitting the stacked
 * layers, and permutes the query/key rows to the rotate-half convention (see {@link permuteRotaryToHf}).
 * `w1`, `w2`, `w3` become `gate_proj`, `down_proj`, `up_proj`; `lm_head.weight` is present only when the
 * classifier is not shared. llama2.c's precomputed RoPE tables are dropped (Hugging Face computes them).
 *
 * @example
 * ```ts
 * const tensors = llama2cWeightsToHf(readLlama2cCheckpoint(bytes));
 * tensors.get('model.layers.0.self_attn.k_proj.weight')?.shape; // [32, 64] for stories260K
 * ```
 */
export function llama2cWeightsToHf({ config: c, weights: w }: Llama2cCheckpoint): Map<string, HfTensor> {
  const kvDim = (c.dim / c.nHeads) * c.nKvHeads;
  const tensors = new Map<string, HfTensor>();
  const layer = (stacked: Float32Array, i: number, rows: number, cols: number): Float32Array =>
    stacked.slice(i * rows * cols, (i + 1) * rows * cols);

  tensors.set('model.embed_tokens.weight', { shape: [c.vocabSize, c.dim], data: w.tokenEmbedding });
  for (let i = 0; i < c.nLayers; i++) {
    const p = `model.layers.${i}`;
    tensors.set(`${p}.input_layernorm.weight`, { shape: [c.dim], data: layer(w.rmsAtt, i, 1, c.dim) });
    tensors.set(`${p}.self_attn.q_proj.weight`, {
      shape: [c.dim, c.dim],
      data: permuteRotaryToHf(layer(w.wq, i, c.dim, c.dim), c.nHeads, c.dim, c.dim),
    });
    tensors.set(`${p}.self_attn.k_proj.weight`, {
      shape: [kvDim, c.dim],
      data: permuteRotaryToHf(layer(w.wk, i, kvDim, c.dim), c.nKvHeads, kvDim, c.dim),
    });
    tensors.set(`${p}.self_attn.v_proj.weight`, { shape: [kvDim, c.dim], data: layer(w.wv, i, kvDim, c.dim) });
    tensors.set(`${p}.self_attn.o_proj.weight`, { shape: [c.dim, c.dim], data: layer(w.wo, i, c.dim, c.dim) });
    tensors.set(`${p}.post_attention_layernorm.weight`, { shape: [c.dim], data: layer(w.rmsFfn, i, 1, c.dim) });
    tensors.set(`${p}.mlp.gate_proj.weight`, { shape: [c.hiddenDim, c.dim], data: layer(w.w1, i, c.hiddenDim, c.dim) });
    tensors.set(`${p}.mlp.down_proj.weight`, { shape: [c.dim, c.hiddenDim], data: layer(w.w2, i, c.dim, c.hiddenDim) });
    tensors.set(`${p}.mlp.up_proj.weight`, { shape: [c.hiddenDim, c.dim], data: layer(w.w3, i, c.hiddenDim, c.dim) });
  }
  tensors.set('model.norm.weight', { shape: [c.dim], data: w.rmsFinal });
  if (!c.sharedClassifier && w.wcls) tensors.set('lm_head.weight', { shape: [c.vocabSize, c.dim], data: w.wcls });
  return tensors;
}
