/**
 * `@rlhf/models`: Llama and GPT-2 causal language models with Hugging Face parameter names, generation
 * with a key/value cache, reward (sequence-scoring) models, LoRA, safetensors reading and writing,
 * Hugging Face tokenizers with chat templates, and the llama2.c converter. Loading from and saving to
 * disk is in `@rlhf/models/node`.
 *
 * @packageDocumentation
 */
export { ModelFileError, type ModelFileErrorCode } from './errors/model-file-error.js';
export { type GenerateOptions, type GenerateResult, generate } from './generation/generate.js';
export {
  GENERATE_OPTION_SNAKE_CASE,
  type GenerateOptionsInput,
  generateOptionsOf,
} from './generation/generate-option-names.js';
export { generateText, type TextContinuation } from './generation/generate-text.js';
export type { SamplingOptions } from './generation/sampling.js';
export { contextLength, validateGenerateOptions } from './generation/validate-generate-options.js';
export { type GPT2Config, validateGPT2Config } from './gpt2/gpt2-config.js';
export { Conv1D, GPT2Attention, GPT2Block, GPT2LMHeadModel, GPT2MLP, GPT2Model } from './gpt2/gpt2-model.js';
export { contentFromFiles, type HfDirectoryFiles } from './hf/content-from-files.js';
export { countParameters, type HfDirectoryContent, type HfTensor } from './hf/hf-directory-content.js';
export { hfDirectoryBytes, modelFileBytes } from './hf/model-file-bytes.js';
export { loadModelFrom, type ModelSource, readModelFiles } from './hf/read-model-files.js';
export { type LlamaConfig, ModelConfigError, validateLlamaConfig } from './llama/llama-config.js';
export { type CausalLMOutput, LlamaForCausalLM } from './llama/llama-for-causal-lm.js';
export { type BackboneOutput, type ForwardOptions, LlamaDecoderLayer, LlamaModel } from './llama/llama-model.js';
export { type ConvertLlama2cOptions, convertLlama2c, type Llama2cConversion } from './llama2c/convert-llama2c.js';
export { llama2cTokenizerToHf } from './llama2c/convert-tokenizer.js';
export type { HfLlamaConfigJson } from './llama2c/convert-weights.js';
export { type Llama2cErrorCode, Llama2cFormatError } from './llama2c/llama2c-error.js';
export {
  type Llama2cCheckpoint,
  type Llama2cConfig,
  type Llama2cWeights,
  readLlama2cCheckpoint,
} from './llama2c/read-checkpoint.js';
export { type Llama2cTokenizer, readLlama2cTokenizer } from './llama2c/read-tokenizer.js';
export { AdapterError } from './lora/adapter-error.js';
export {
  type ApplyLoraOptions,
  adaptedLayers,
  applyLora,
  attachedLora,
  LoraModel,
  type LoraTargetLayer,
  planLora,
} from './lora/lora.js';
export { LoraAdapter } from './lora/lora-adapter.js';
export {
  LORA_CONFIG_KEYS,
  type LoraConfig,
  LoraError,
  type ResolvedLoraConfig,
  resolveLoraConfig,
} from './lora/lora-config.js';
export { attachLoraOption, loraOption } from './lora/lora-option.js';
export { adapterFiles, applyAdapterFiles, type PeftAdapterConfig } from './lora/peft-adapter.js';
export { type CausalLM, createCausalLM, type ModelConfig } from './pretrained/causal-lm.js';
export { checkFiniteWeights, NonFiniteWeightsError } from './pretrained/finite-weights.js';
export {
  CONFIG_SIZE_BOUNDS,
  type Config as ModelConfigJson,
  checkConfigAgainstWeights,
  checkModelConfig,
  type Dim as ImpliedDimension,
  impliedTensors,
} from './pretrained/model-config-check.js';
export { contentFiles, contentOfModel, modelFromContent } from './pretrained/pretrained-io.js';
export { collectWeights, type HostTensor, loadWeights, WeightsMismatchError } from './pretrained/weights.js';
export { createRewardModel, type PaddedBatch, padRight, RewardScoringModel } from './reward/reward-scoring-model.js';
export type { SafetensorsLoadableDtype } from './safetensors/dtype.js';
export { parseSafetensorsHeader, type SafetensorsEntry, type SafetensorsHeader } from './safetensors/parse-header.js';
export { parseSafetensors, type SafetensorsContent, type SafetensorsTensor } from './safetensors/parse-safetensors.js';
export { safetensorsCodec } from './safetensors/safetensors-codec.js';
export { SafetensorsError, type SafetensorsErrorCode } from './safetensors/safetensors-error.js';
export { type SafetensorsTensorInput, serializeSafetensors } from './safetensors/serialize-safetensors.js';
export { type ChatMessage, renderChatTemplate } from './tokenizer/chat-template.js';
export { CHAT_TEMPLATE_LIMITS, type ChatTemplateLimits } from './tokenizer/chat-template-limits.js';

('./tokenizer/special-tokens.js');

export {
  type ApplyChatTemplateOptions,
  type DecodeOptions,
  type EncodeOptions,
  Tokenizer,
} from './tokenizer/tokenizer.js';
export { TokenizerError, type TokenizerErrorCode } from './tokenizer/tokenizer-error.js';
