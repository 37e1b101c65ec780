import { readFile } from 'node:fs/promises';
import type { TensorBackend } from '@rlhf/core';
import { type CausalLM, convertLlama2c, modelFromContent } from '@rlhf/models';
import { loadModel } from '@rlhf/models/node';
import { UsageError } from './args.js';

/** A model in a config file: a Hugging Face directory, or a llama2.c checkpoint with its tokenizer. */
export type ModelSource = string | { format: 'llama2c'; checkpoint: string; tokenizer: string };

/**
 * Loads the model a config names (paths relative to the working directory).
 *
 * @example
 * ```ts
 * const model = await loadModelSource({ format: 'llama2c', checkpoint: 'm.bin', tokenizer: 't.bin' }, backend);
 * ```
 */
export async function loadModelSource(source: unknown, backend: TensorBackend): Promise<CausalLM> {
  if (typeof source === 'string') return loadModel(source, { backend });
  const s = source as Partial<{ format: string; checkpoint: string; tokenizer: string }> | null;
  if (s && s.format === 'llama2c' && typeof s.checkpoint === 'string' && typeof s.tokenizer === 'string') {
    const content = convertLlama2c(await readFile(s.checkpoint), await readFile(s.tokenizer), {
      checkpointName: s.checkpoint,
      tokenizerName: s.tokenizer,
    });
    return modelFromContent(content, backend);
  }
  throw new UsageError(
    `'model' must be a model directory or { "format": "llama2c", "checkpoint": FILE, "tokenizer": FILE } (got ${JSON.stringify(source)}).`,
  );
}
