import { ModelConfigError } from '../errors/model-config-error.js';
import { checkModelConfig } from '../pretrained/model-config-check.js';

export { ModelConfigError };

/**
 * A Llama-family configuration with Hugging Face `config.json` keys (`LlamaConfig`), covering Llama 2/3,
 * SmolLM, TinyLlama, llama2.c models and, with `attention_bias`, Qwen2-style q/k/v biases.
 *
 * @example
 * ```ts
 * const config: LlamaConfig = { model_type: 'llama', vocab_size: 512, hidden_size: 64, intermediate_size: 172,
 *   num_hidden_layers: 5, num_attention_heads: 8, num_key_value_heads: 4, max_position_embeddings: 512,
 *   rms_norm_eps: 1e-5, rope_theta: 10000, tie_word_embeddings: true };
 * ```
 */
export interface LlamaConfig {
  /** `'llama'` (or a Llama-family name) in Hugging Face files. */
  model_type?: string;
  /** Number of tokens V. */
  vocab_size: number;
  /** Model width D. */
  hidden_size: number;
  /** Width F of the SwiGLU MLP. */
  intermediate_size: number;
  /** Number of decoder layers. */
  num_hidden_layers: number;
  /** Number of query heads. */
  num_attention_heads: number;
  /** @defaultValue num_attention_heads */
  num_key_value_heads?: number;
  /** @defaultValue hidden_size / num_attention_heads */
  head_dim?: number;
  /** Longest sequence the model is meant for. */
  max_position_embeddings: number;
  /** @defaultValue 1e-6 */
  rms_norm_eps?: number;
  /** @defaultValue 10000 */
  rope_theta?: number;
  /** @defaultValue false */
  tie_word_embeddings?: boolean;
  /** Biases on q/k/v projections (Qwen2). @defaultValue false */
  attention_bias?: boolean;
  /** Std of the normal initialisation. @defaultValue 0.02 */
  initializer_range?: number;
  /** Only `silu` is supported. @defaultValue 'silu' */
  hidden_act?: string;
  /** Id of the beginning-of-sequence token. */
  bos_token_id?: number;
  /** Id (or ids) of end-of-sequence tokens; generation stops on any of them. */
  eos_token_id?: number | number[];
  /** Id of the padding token, if the model has one. */
  pad_token_id?: number;
  [key: string]: unknown;
}

const REQUIRED = [
  'vocab_size',
  'hidden_size',
  'intermediate_size',
  'num_hidden_layers',
  'num_attention_heads',
  'max_position_embeddings',
] as const;

/**
 * Checks a Llama configuration (positive integer sizes, head divisibility, supported activation) and
 * throws {@link ModelConfigError} naming the key otherwise.
 *
 * @example
 * ```ts
 * validateLlamaConfig(JSON.parse(text), 'config.json');
 * ```
 */
export function validateLlamaConfig(config: LlamaConfig, file?: string): LlamaConfig {
  // Bounds, consistency, finite hyper-parameters and special-token ids (shared with the loaders).
  checkModelConfig({ ...config, model_type: config.model_type === 'gpt2' ? 'llama' : config.model_type }, file);
  for (const key of REQUIRED) {
    const v = config[key];
    if (!Number.isInteger(v) || (v as number) <= 0)
      throw new ModelConfigError(key, `must be a positive integer (got ${JSON.stringify(v)})`, file);
  }
  const kv = config.num_key_value_heads ?? config.num_attention_heads;
  if (config.num_attention_heads % kv !== 0) {
    throw new ModelConfigError(
      'num_key_value_heads',
      `(${kv}) must divide num_attention_heads (${config.num_attention_heads})`,
      file,
    );
  }
  const headDim = config.head_dim ?? config.hidden_size / config.num_attention_heads;
  if (!Number.isInteger(headDim) || headDim % 2 !== 0) {
    throw new ModelConfigError('head_dim', `must be an even integer (got ${headDim})`, file);
  }
  if ((config.hidden_act ?? 'silu') !== 'silu')
    throw new ModelConfigError('hidden_act', `'${config.hidden_act}' is not supported (only 'silu')`, file);
  return config;
}
