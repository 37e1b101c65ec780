/** Test-only access to the repository's own data/ folder (resolved from this file). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TensorBackend } from '@rlhf/core';
import { type CausalLM, convertLlama2c, type Llama2cConversion, modelFromContent, Tokenizer } from '@rlhf/models';

export const DATA_DIR = fileURLToPath(new URL('../../../../data/', import.meta.url));

let conversion: Llama2cConversion | null = null;

/** A fresh stories260K model (with its tokenizer) on `backend`; the conversion is cached for the test file. */
export function loadStories260K(backend: TensorBackend): CausalLM {
  loadStories260KContent();
  return modelFromContent(conversion as Llama2cConversion, backend);
}

/** Four prompts with a happy (desirable) and a sad (undesirable) completion each, unpaired: 8 examples. */
export const EXAMPLES = [
  { prompt: 'Once upon a time, there was a little girl named Lily.', completion: ' She was very happy.', label: true },
  { prompt: 'Tom had a red ball.', completion: ' He lost it and cried.', label: false },
  { prompt: 'The sun was shining.', completion: ' The birds sang a happy song.', label: true },
  { prompt: 'Lily saw a big tree.', completion: ' It fell down.', label: false },
  { prompt: 'Tom had a red ball.', completion: ' He played with it all day and smiled.', label: true },
  { prompt: 'Once upon a time, there was a little girl named Lily.', completion: ' She was very sad.', label: false },
  { prompt: 'Lily saw a big tree.', completion: ' She climbed it with her friend.', label: true },
  { prompt: 'The sun was shining.', completion: ' The dog barked at the cat.', label: false },
];

/** stories260K's tokenizer. */
export function stories260KTokenizer(): Tokenizer {
  loadStories260KContent();
  const c = conversion as Llama2cConversion;
  return Tokenizer.fromJSON(c.tokenizerJson, c.tokenizerConfig);
}

function loadStories260KContent(): void {
  conversion ??= convertLlama2c(
    readFileSync(`${DATA_DIR}models/stories260K/stories260K.bin`),
    readFileSync(`${DATA_DIR}models/stories260K/tok512.bin`),
  );
}
