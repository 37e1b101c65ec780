import { ModelConfigError } from '../errors/model-config-error.js';
import { checkModelConfig } from '../pretrained/model-config-check.js';

/**
 * A GPT-2 configuration with Hugging Face `config.json` keys (`GPT2Config`).
 *
 * @example
 * ```ts
 * const config: GPT2Config = { model_type: 'gpt2', vocab_size: 50257, n_positions: 1024, n_embd: 768, n_layer: 12, n_head: 12 };
 * ```
 */
export interface GPT2Config {
  /** `'gpt2'` in Hugging Face files. */
  model_type?: string;
  /** Number of tokens V. */
  vocab_size: number;
  /** Longest sequence (rows of the position embedding). */
  n_positions: number;
  /** Model width D. */
  n_embd: number;
  /** Number of blocks. */
  n_layer: number;
  /** Number of attention heads (D must divide by it). */
  n_head: number;
  /** MLP width. @defaultValue 4 · n_embd */
  n_inner?: number | null;
  /** @defaultValue 1e-5 */
  layer_norm_epsilon?: number;
  /** @defaultValue 0.02 */
  initializer_range?: number;
  /** Only the tanh approximation (`gelu_new`) is supported. @defaultValue 'gelu_new' */
  activation_function?: string;
  /** Id of the beginning-of-sequence token. */
  bos_token_id?: number;
  /** Id of the end-of-sequence token (generation stops on it). */
  eos_token_id?: number;
  [key: string]: unknown;
}

/**
 * Checks a GPT-2 configuration and throws {@link ModelConfigError} naming the key otherwise.
 *
 * @example
 * ```ts
 * validateGPT2Config(config, 'config.json');
 * ```
 */
export function validateGPT2Config(config: GPT2Config, file?: string): GPT2Config {
  checkModelConfig({ ...config, model_type: 'gpt2' }, file);
  for (const key of ['vocab_size', 'n_positions', 'n_embd', 'n_layer', 'n_head'] as const) {
    const v = config[key];
    if (!Number.isInteger(v) || v <= 0)
      throw new ModelConfigError(key, `must be a positive integer (got ${JSON.stringify(v)})`, file);
  }
  if (config.n_embd % config.n_head !== 0)
    throw new ModelConfigError('n_head', `(${config.n_head}) must divide n_embd (${config.n_embd})`, file);
  const act = config.activation_function ?? 'gelu_new';
  if (act !== 'gelu_new' && act !== 'gelu_pytorch_tanh') {
    throw new ModelConfigError('activation_function', `'${act}' is not supported (gelu_new, gelu_pytorch_tanh)`, file);
  }
  return config;
}
