import { readFile } from 'node:fs/promises';
import { convertLlama2c, type HfDirectoryContent } from '@rlhf/models';
import { readHfDirectory } from '@rlhf/models/node';
import { UsageError } from './args.js';

/** A model in a config file: a Hugging Face directory, or a llama2.c checkpoint with its tokenizer. */
export type ModelSource = string | { format: 'llama2c'; checkpoint: string; tokenizer: string };

/**
 * Reads the model a config names (paths relative to the working directory) as Hugging Face directory
 * content, converting a llama2.c checkpoint; build models from it with `modelFromContent` (once per copy
 * needed, without reading or converting again).
 *
 * @example
 * ```ts
 * const content = await readModelSource({ format: 'llama2c', checkpoint: 'm.bin', tokenizer: 't.bin' });
 * ```
 */
export async function readModelSource(source: unknown): Promise<HfDirectoryContent> {
  if (typeof source === 'string') return readHfDirectory(source);
  const s = source as Partial<{ format: string; checkpoint: string; tokenizer: string }> | null;
  if (s && s.format === 'llama2c' && typeof s.checkpoint === 'string' && typeof s.tokenizer === 'string') {
    return convertLlama2c(await readFile(s.checkpoint), await readFile(s.tokenizer), {
      checkpointName: s.checkpoint,
      tokenizerName: s.tokenizer,
    });
  }
  throw new UsageError(
    `'model' must be a model directory or { "format": "llama2c", "checkpoint": FILE, "tokenizer": FILE } (got ${JSON.stringify(source)}).`,
  );
}
