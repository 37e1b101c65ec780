/** Test-only access to the repository's own data/ folder (resolved from this file). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TensorBackend } from '@rlhf/core';
import { type CausalLM, convertLlama2c, type Llama2cConversion, modelFromContent } from '@rlhf/models';

export const DATA_DIR = fileURLToPath(new URL('../../../../data/', import.meta.url));

let conversion: Llama2cConversion | null = null;

/** A fresh stories260K model (with its tokenizer) on `backend`. */
export function loadStories260K(backend: TensorBackend): CausalLM {
  conversion ??= convertLlama2c(
    readFileSync(`${DATA_DIR}models/stories260K/stories260K.bin`),
    readFileSync(`${DATA_DIR}models/stories260K/tok512.bin`),
  );
  return modelFromContent(conversion, backend);
}
