import type { Random, TensorBackend } from '@rlhf/core';
import { type GPT2Config, validateGPT2Config } from '../gpt2/gpt2-config.js';
import { GPT2LMHeadModel } from '../gpt2/gpt2-model.js';
import { type LlamaConfig, ModelConfigError, validateLlamaConfig } from '../llama/llama-config.js';
import { LlamaForCausalLM } from '../llama/llama-for-causal-lm.js';

/** Any supported causal language model. */
export type CausalLM = LlamaForCausalLM | GPT2LMHeadModel;

/** A Hugging Face `config.json` of a supported architecture (`model_type` picks it). */
export type ModelConfig = LlamaConfig | GPT2Config;

/** `model_type` values handled as Llama (same architecture, optional q/k/v biases for Qwen2). */
const LLAMA_TYPES = new Set(['llama', 'mistral', 'qwen2', 'smollm']);

/**
 * Builds a freshly initialised causal LM for a Hugging Face config (`model_type` `llama`, `qwen2`,
 * `mistral` → Llama; `gpt2` → GPT-2). Qwen2 implies `attention_bias: true`.
 *
 * @example
 * ```ts
 * const lm = createCausalLM(backend, JSON.parse(configText), new Random(0));
 * ```
 */
export function createCausalLM(
  backend: TensorBackend,
  config: ModelConfig,
  rng: Random,
  file = 'config.json',
): CausalLM {
  const type = config.model_type ?? 'llama';
  if (type === 'gpt2') return new GPT2LMHeadModel(backend, validateGPT2Config(config as GPT2Config, file), rng);
  if (LLAMA_TYPES.has(type)) {
    const llama = { ...(config as LlamaConfig) };
    if (type === 'qwen2' && llama.attention_bias === undefined) llama.attention_bias = true;
    return new LlamaForCausalLM(backend, validateLlamaConfig(llama, file), rng);
  }
  throw new ModelConfigError('model_type', `'${type}' is not supported (llama, qwen2, mistral, gpt2)`, file);
}
