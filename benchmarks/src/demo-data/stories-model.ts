import { readFileSync } from 'node:fs';
import type { TensorBackend } from '@rlhf/core';
import { type CausalLM, convertLlama2c, modelFromContent, type Tokenizer } from '@rlhf/models';
import { repoPath } from './paths.js';

/** Repository-relative paths of the bundled llama2.c stories260K checkpoint and tokenizer. */
export const STORIES260K = {
  checkpoint: 'data/models/stories260K/stories260K.bin',
  tokenizer: 'data/models/stories260K/tok512.bin',
} as const;

/**
 * Loads stories260K (llama2.c's 260K-parameter TinyStories Llama) on `backend`, converted with
 * `convertLlama2c` and built with `modelFromContent`, with its tokenizer attached.
 *
 * @example
 * ```ts
 * const model = loadStories260K(createJsBackend());
 * model.tokenizer?.encode('Once upon a time'); // [1, 403, 407, 261, 378]
 * ```
 */
export function loadStories260K(backend: TensorBackend): CausalLM & { tokenizer: Tokenizer } {
  const content = convertLlama2c(
    readFileSync(repoPath(STORIES260K.checkpoint)),
    readFileSync(repoPath(STORIES260K.tokenizer)),
    {
      checkpointName: 'stories260K.bin',
      tokenizerName: 'tok512.bin',
    },
  );
  const model = modelFromContent(content, backend);
  if (!model.tokenizer) throw new Error('stories260K was converted without its tokenizer');
  return model as CausalLM & { tokenizer: Tokenizer };
}
