/// <reference types="node" />
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FileSystemError } from '@rlhf/core';
import { removeOrphanedTemporaries, temporaryName } from '@rlhf/core/node';
import type { HfDirectoryContent } from '../hf/hf-directory-content.js';
import { hfDirectoryBytes } from '../hf/model-file-bytes.js';

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

/**
 * Writes a Hugging Face model directory: `config.json`, `model.safetensors` and, when present,
 * `tokenizer.json`, `tokenizer_config.json`, `generation_config.json`. Every file is first written into a
 * temporary folder inside `dir` (`.model.tmp-<pid>-<hex>`, so a read-only parent cannot lose the run
 * after training; one that a killed process left is removed by the next write into `dir`); the files are then moved into
 * `dir` by one rename each (other files in it are kept). A failure while writing removes the temporary
 * folder and leaves the earlier files of `dir` as they were, so no half-written file is ever left under
 * a final name. File-system failures are `FileSystemError`s naming the path.
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
  return writeFolderFiles(dir, hfDirectoryBytes(content, { safetensorsMetadata }), 'saving the model');
}

/**
 * Writes files into a folder so that none is ever half-written under its final name: each goes first into a
 * temporary folder inside `dir` (`.model.tmp-<pid>-<hex>`), then is moved into place by one rename (other files
 * of `dir` are kept). A temporary that a killed writer left in `dir` is removed first; a failure removes this
 * one (and `dir`, when this call created it). File-system failures are `FileSystemError`s naming the path
 * and `stage`.
 *
 * @returns the paths written, in `dir`
 *
 * @example
 * ```ts
 * await writeFolderFiles('out/adapter', new Map([['adapter_config.json', bytes]]), 'saving the adapter');
 * ```
 */
export async function writeFolderFiles(
  dir: string,
  entries: Iterable<readonly [string, Uint8Array]>,
  stage: string,
): Promise<string[]> {
  const target = resolve(dir);
  const files = [...entries];
  const created = !(await isDirectory(target, stage));
  await at(() => mkdir(target, { recursive: true }), target, 'create directory', stage);
  // A temporary folder that a killed writer left here (its process is gone) goes before this one is made.
  if (!created) await at(() => removeOrphanedTemporaries(target), target, 'clean up', stage);
  const temp = join(target, temporaryName('model', 'tmp', randomBytes(4).toString('hex')));
  try {
    await at(() => mkdir(temp), temp, 'create directory', stage);
    for (const [name, bytes] of files)
      await at(() => writeFile(join(temp, name), bytes), join(temp, name), 'write', stage);
    for (const [name] of files)
      await at(() => rename(join(temp, name), join(target, name)), join(target, name), 'rename', stage);
    await rm(temp, { recursive: true, force: true });
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (created) await rm(target, { recursive: true, force: true });
    throw error;
  }
  return files.map(([name]) => join(target, name));
}

async function at<T>(run: () => Promise<T>, path: string, operation: string, stage: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw FileSystemError.from(error, path, operation, stage);
  }
}

async function isDirectory(path: string, stage: string): Promise<boolean> {
  try {
    const s = await stat(path);
    if (!s.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw FileSystemError.from(error, path, 'write into', stage);
  }
}
