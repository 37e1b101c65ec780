import { Random, type TensorBackend } from '@rlhf/core';
import type { HfDirectoryContent } from '../hf/hf-directory-content.js';
import { Tokenizer } from '../tokenizer/tokenizer.js';
import { type CausalLM, createCausalLM, type ModelConfig } from './causal-lm.js';
import { loadWeights } from './weights.js';

/**
 * Builds a causal LM from the content of a Hugging Face directory: the architecture from `config`, the
 * weights checked name by name and shape by shape, and the tokenizer (when present) attached as
 * `model.tokenizer`.
 *
 * @example
 * ```ts
 * const model = modelFromContent(convertLlama2c(ckpt, tok), backend);
 * ```
 */
export function modelFromContent(content: HfDirectoryContent, backend: TensorBackend): CausalLM {
  const model = createCausalLM(backend, content.config as ModelConfig, new Random(0));
  loadWeights(model, content.tensors);
  if (content.tokenizerJson) model.tokenizer = Tokenizer.fromJSON(content.tokenizerJson, content.tokenizerConfig ?? {});
  model.generationConfig = { ...(content.generationConfig ?? {}) };
  return model;
}

/**
 * The content of a Hugging Face directory for a model: `config.json` (with `architectures` and
 * `torch_dtype: float32`), every parameter by Hugging Face name, and the tokenizer files when the model
 * carries a tokenizer.
 *
 * @example
 * ```ts
 * const content = await contentOfModel(model);
 * content.tensors.get('model.norm.weight')?.shape; // [D]
 * ```
 */
export async function contentOfModel(model: CausalLM): Promise<HfDirectoryContent> {
  const architecture = 'lm_head' in model ? 'LlamaForCausalLM' : 'GPT2LMHeadModel';
  // LoRA adapters are merged (W + ΔW): a Hugging Face folder holds a plain model (save adapters with saveAdapter).
  const tensors = new Map(
    [...(await model.mergedStateDict())].map(([k, v]) => [k, { shape: [...v.shape], data: v.data }]),
  );
  return {
    config: { ...model.config, architectures: [architecture], torch_dtype: 'float32' },
    tensors,
    ...(model.tokenizer
      ? { tokenizerJson: model.tokenizer.tokenizerJson, tokenizerConfig: model.tokenizer.tokenizerConfig }
      : {}),
    generationConfig: model.generationConfig,
  };
}
