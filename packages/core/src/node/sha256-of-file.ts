/// <reference types="node" />
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { FileSystemError } from '../errors/file-system-error.js';

/**
 * SHA-256 (FIPS 180-4) of a file's bytes, as 64 lowercase hex digits. A file that cannot be read is a
 * {@link FileSystemError} naming it and `stage`.
 *
 * @example
 * ```ts
 * await sha256OfFile('data/sft.jsonl', 'rlhf pipeline: fingerprinting the data');
 * ```
 */
export async function sha256OfFile(file: string, stage: string): Promise<string> {
  try {
    return createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  } catch (error) {
    throw FileSystemError.from(error, file, 'read', stage);
  }
}
