import type { HfDirectoryContent, HfTensor } from '../hf/hf-directory-content.js';
import { llama2cTokenizerToHf } from './convert-tokenizer.js';
import { type HfLlamaConfigJson, llama2cConfigToHf, llama2cWeightsToHf } from './convert-weights.js';
import { Llama2cFormatError } from './llama2c-error.js';
import { readLlama2cCheckpoint } from './read-checkpoint.js';
import { readLlama2cTokenizer } from './read-tokenizer.js';

/**
 * A llama2.c model converted to the content of a Hugging Face Llama directory.
 *
 * @example
 * ```ts
 * const { config, tensors, tokenizerJson }: Llama2cConversion = convertLlama2c(ckpt, tok);
 * ```
 */
export interface Llama2cConversion extends HfDirectoryContent {
  config: HfLlamaConfigJson;
  tensors: Map<string, HfTensor>;
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  generationConfig: Record<string, unknown>;
}

/**
 * File names used in error messages.
 *
 * @example
 * ```ts
 * convertLlama2c(ckpt, tok, { checkpointName: 'stories260K.bin', tokenizerName: 'tok512.bin' });
 * ```
 */
export interface ConvertLlama2cOptions {
  /** Name of the checkpoint file, for error messages. @defaultValue 'checkpoint.bin' */
  checkpointName?: string;
  /** Name of the tokenizer file, for error messages. @defaultValue 'tokenizer.bin' */
  tokenizerName?: string;
}

/**
 * Converts a llama2.c checkpoint (legacy format) and its tokenizer `.bin` to what a Hugging Face
 * `LlamaForCausalLM` directory holds: `config.json`, the tensors of `model.safetensors` (renamed, q/k
 * permuted to rotate-half), `tokenizer.json`, `tokenizer_config.json` and `generation_config.json`.
 * Write it with `writeHfDirectory` from `@rlhf/models/node`. Malformed input throws a
 * {@link Llama2cFormatError} naming the file.
 *
 * @example
 * ```ts
 * const content = convertLlama2c(checkpointBytes, tokenizerBytes);
 * content.config.hidden_size; // 64 for stories260K
 * content.tensors.get('model.embed_tokens.weight')?.shape; // [512, 64]
 * ```
 */
export function convertLlama2c(
  checkpointBytes: Uint8Array,
  tokenizerBytes: Uint8Array,
  { checkpointName = 'checkpoint.bin', tokenizerName = 'tokenizer.bin' }: ConvertLlama2cOptions = {},
): Llama2cConversion {
  const checkpoint = readLlama2cCheckpoint(checkpointBytes, checkpointName);
  const tokenizer = readLlama2cTokenizer(tokenizerBytes, tokenizerName);
  if (tokenizer.pieces.length !== checkpoint.config.vocabSize) {
    throw new Llama2cFormatError(
      'LLAMA2C_VOCAB_MISMATCH',
      tokenizerName,
      `has ${tokenizer.pieces.length} tokens but ${checkpointName} has vocab_size ${checkpoint.config.vocabSize}`,
    );
  }
  const config = llama2cConfigToHf(checkpoint.config);
  return {
    config,
    tensors: llama2cWeightsToHf(checkpoint),
    ...llama2cTokenizerToHf(tokenizer, checkpoint.config.seqLen, tokenizerName),
    generationConfig: {
      _from_model_config: true,
      bos_token_id: config.bos_token_id,
      eos_token_id: config.eos_token_id,
    },
  };
}
