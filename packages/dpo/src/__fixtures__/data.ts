/** Test-only access to the repository's own data/ folder (resolved from this file, never ../shared). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TensorBackend } from '@rlhf/core';
import { type CausalLM, convertLlama2c, type Llama2cConversion, modelFromContent, Tokenizer } from '@rlhf/models';

export const DATA_DIR = fileURLToPath(new URL('../../../../data/', import.meta.url));

let conversion: Llama2cConversion | null = null;

/** stories260K converted from llama2.c (cached for the test file). */
export function stories260KContent(): Llama2cConversion {
  conversion ??= convertLlama2c(
    readFileSync(`${DATA_DIR}models/stories260K/stories260K.bin`),
    readFileSync(`${DATA_DIR}models/stories260K/tok512.bin`),
  );
  return conversion;
}

/** A fresh stories260K model (with its tokenizer) on `backend`. */
export function loadStories260K(backend: TensorBackend): CausalLM {
  return modelFromContent(stories260KContent(), backend);
}

/** stories260K's tokenizer. */
export function stories260KTokenizer(): Tokenizer {
  const c = stories260KContent();
  return Tokenizer.fromJSON(c.tokenizerJson, c.tokenizerConfig);
}

// The data readers shared with @rlhf/preference-data's tests (dpo depends on it; both are test-only).
export { dpoEnDemo, hhRlhf, phi3Tokenizer } from '../../../preference-data/src/__fixtures__/data.js';
