import { readFileSync } from 'node:fs';
import { convertLlama2c, hfDirectoryBytes } from '@rlhf/models';

/**
 * The repository's stories260K (llama2.c checkpoint and tokenizer) converted to the files of a Hugging Face
 * folder, served under `at` (e.g. `/models/stories260K/`): path → bytes.
 *
 * @example
 * ```ts
 * const files = stories260KFolder('/models/stories260K/');
 * ```
 */
export function stories260KFolder(at: string): Record<string, Uint8Array> {
  const data = new URL('../../../data/models/stories260K/', import.meta.url);
  const content = convertLlama2c(
    readFileSync(new URL('stories260K.bin', data)),
    readFileSync(new URL('tok512.bin', data)),
  );
  return Object.fromEntries([...hfDirectoryBytes(content)].map(([name, bytes]) => [`${at}${name}`, bytes]));
}
