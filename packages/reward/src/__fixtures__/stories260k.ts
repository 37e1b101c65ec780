/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TensorBackend } from '@rlhf/core';
import { type CausalLM, convertLlama2c, modelFromContent } from '@rlhf/models';

/** The repository's copy of karpathy's stories260K (llama2.c format) and its tokenizer. */
export const STORIES260K_DIR = fileURLToPath(new URL('../../../../data/models/stories260K/', import.meta.url));

/** stories260K converted to a Hugging Face Llama with its tokenizer attached (264K parameters). */
export function loadStories260K(backend: TensorBackend): CausalLM {
  const content = convertLlama2c(
    readFileSync(`${STORIES260K_DIR}stories260K.bin`),
    readFileSync(`${STORIES260K_DIR}tok512.bin`),
  );
  return modelFromContent(content, backend);
}
