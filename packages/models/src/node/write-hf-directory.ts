/// <reference types="node" />
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { HfDirectoryContent } from '../hf/hf-directory-content.js';
import { serializeSafetensors } from '../safetensors/serialize-safetensors.js';

/**
 * Options of {@link writeHfDirectory}.
 *
 * @example
 * ```ts
 * await writeHfDirectory(dir, content, { safetensorsMetadata: { format: 'pt' } });
 * ```
 */
export interface WriteHfDirectoryOptions {
  /** `__metadata__` of `model.safetensors`. @defaultValue `{ format: 'pt' }`, as transformers writes */
  safetensorsMetadata?: Record<string, string>;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Writes a Hugging Face model directory: `config.json`, `model.safetensors` and, when present,
 * `tokenizer.json`, `tokenizer_config.json`, `generation_config.json`. Every file is first written into a
 * temporary folder beside `dir`; a new `dir` is then created by one rename, and an existing one has its
 * files replaced by one rename each (other files in it are kept). A failure while writing removes the
 * temporary folder and leaves `dir` as it was, so no half-written model is ever left behind.
 *
 * @returns the paths written, in `dir`
 *
 * @example
 * ```ts
 * import { convertLlama2c } from '@rlhf/models';
 * import { writeHfDirectory } from '@rlhf/models/node';
 * await writeHfDirectory('./stories260K-hf', convertLlama2c(checkpointBytes, tokenizerBytes));
 * ```
 */
export async function writeHfDirectory(
  dir: string,
  content: HfDirectoryContent,
  { safetensorsMetadata = { format: 'pt' } }: WriteHfDirectoryOptions = {},
): Promise<string[]> {
  const target = resolve(dir);
  const files: [string, () => string | Uint8Array][] = [
    ['config.json', () => json(content.config)],
    ['model.safetensors', () => serializeSafetensors(content.tensors, safetensorsMetadata)],
  ];
  if (content.tokenizerJson) files.push(['tokenizer.json', () => json(content.tokenizerJson)]);
  if (content.tokenizerConfig) files.push(['tokenizer_config.json', () => json(content.tokenizerConfig)]);
  if (content.generationConfig) files.push(['generation_config.json', () => json(content.generationConfig)]);

  await mkdir(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.tmp-${randomBytes(6).toString('hex')}`);
  await mkdir(temp);
  try {
    for (const [name, render] of files) await writeFile(join(temp, name), render());
    if (await isDirectory(target)) {
      for (const [name] of files) await rename(join(temp, name), join(target, name));
      await rm(temp, { recursive: true, force: true });
    } else {
      await rename(temp, target);
    }
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  return files.map(([name]) => join(target, name));
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
