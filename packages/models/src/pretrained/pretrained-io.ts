import { Random, type TensorBackend } from '@rlhf/core';
import type { HfDirectoryContent } from '../hf/hf-directory-content.js';
import { Tokenizer } from '../tokenizer/tokenizer.js';
import { TokenizerError } from '../tokenizer/tokenizer-error.js';
import { type CausalLM, createCausalLM, type ModelConfig } from './causal-lm.js';
import { checkFiniteWeights } from './finite-weights.js';
import { checkConfigAgainstWeights, checkModelConfig, checkSpecialTokenIds } from './model-config-check.js';
import { loadWeights } from './weights.js';

/** The file names of a content's source directory (or the bare names when it has none). */
export function contentFiles(content: Pick<HfDirectoryContent, 'source'>): Record<string, string> {
  const at = (name: string) => (content.source ? `${content.source.replace(/\/+$/, '')}/${name}` : name);
  return {
    config: at('config.json'),
    weights: at('model.safetensors'),
    tokenizer: at('tokenizer.json'),
    generation: at('generation_config.json'),
  };
}

/**
 * Every check of a model's content made before the model is allocated: the config alone and against the
 * tensors' shapes, the special-token ids of `config.json` and `generation_config.json`, the tokenizer's
 * ids against `vocab_size`, and NaN / infinity in any weight. Each failure is a typed error naming the
 * file and the key or tensor.
 *
 * @example
 * ```ts
 * checkModelContent(await readHfDirectory('models/x'));
 * ```
 */
export function checkModelContent(content: HfDirectoryContent, tokenizer?: Tokenizer): void {
  const files = contentFiles(content);
  checkModelConfig(content.config, files.config);
  checkConfigAgainstWeights(
    content.config,
    [...content.tensors].map(([name, t]) => ({ name, shape: t.shape })),
    files as { config: string; weights: string },
  );
  const vocabSize = content.config.vocab_size as number;
  if (content.generationConfig) checkSpecialTokenIds(content.generationConfig, vocabSize, files.generation as string);
  if (tokenizer && tokenizer.vocabSize > vocabSize) {
    throw new TokenizerError(
      'TOKENIZER_VOCAB_MISMATCH',
      `${files.tokenizer}: the tokenizer has ids up to ${tokenizer.vocabSize - 1} but ${files.config} has 'vocab_size' = ${vocabSize}; every id must be below vocab_size.`,
    );
  }
  checkFiniteWeights(content.tensors, files.weights);
}

/**
 * Builds a causal LM from the content of a Hugging Face directory: the architecture from `config`, the
 * weights checked name by name and shape by shape, and the tokenizer (when present) attached as
 * `model.tokenizer`. Everything is checked before the model is allocated.
 *
 * @example
 * ```ts
 * const model = modelFromContent(convertLlama2c(ckpt, tok), backend);
 * ```
 */
export function modelFromContent(content: HfDirectoryContent, backend: TensorBackend): CausalLM {
  const files = contentFiles(content);
  const tokenizer = content.tokenizerJson
    ? Tokenizer.fromJSON(content.tokenizerJson, content.tokenizerConfig ?? {})
    : undefined;
  checkModelContent(content, tokenizer);
  const model = createCausalLM(backend, content.config as ModelConfig, new Random(0), files.config);
  loadWeights(model, content.tensors, files.weights);
  if (tokenizer) model.tokenizer = tokenizer;
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
