/// <reference types="node" />
import { join } from 'node:path';
import { Tokenizer } from '../tokenizer/tokenizer.js';
import { readJsonFile } from './read-json-file.js';

/**
 * Loads the tokenizer of a Hugging Face model directory: `tokenizer.json` (required) and
 * `tokenizer_config.json` (optional: special tokens, chat template). A missing `tokenizer.json` throws a
 * `ModelFileError` (from `@rlhf/models`) naming it.
 *
 * @example
 * ```ts
 * import { loadTokenizer } from '@rlhf/models/node';
 * const tokenizer = await loadTokenizer('./stories260K-hf');
 * tokenizer.encode('Once upon a time');
 * ```
 */
export async function loadTokenizer(dir: string): Promise<Tokenizer> {
  const tokenizerJson = await readJsonFile(join(dir, 'tokenizer.json'), 'to load the tokenizer');
  const tokenizerConfig = await readJsonFile(join(dir, 'tokenizer_config.json'), '', { optional: true });
  return Tokenizer.fromJSON(tokenizerJson as Record<string, unknown>, tokenizerConfig ?? {});
}
