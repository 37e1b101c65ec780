/// <reference types="node" />
import { readFile } from 'node:fs/promises';
import { FileSystemError } from '@rlhf/core';
import { ModelFileError } from '../errors/model-file-error.js';

/**
 * Reads a JSON object from a file of a model directory. A missing file throws a {@link ModelFileError}
 * (`MODEL_FILE_MISSING`, saying what the file is `neededFor`) unless `optional`, which gives `undefined`;
 * a file that is not a JSON object throws `MODEL_FILE_INVALID_JSON`.
 *
 * @example
 * ```ts
 * const config = await readJsonFile('./model/config.json', 'to build the model');
 * const extra = await readJsonFile('./model/generation_config.json', '', { optional: true });
 * ```
 */
export async function readJsonFile(
  path: string,
  neededFor: string,
  { optional = false }: { optional?: boolean } = {},
): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && optional) return undefined;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ModelFileError('MODEL_FILE_MISSING', path, `Missing file ${path}: it is needed ${neededFor}.`, {
        cause: error,
      });
    }
    throw FileSystemError.from(error, path, 'read', 'loading the model');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ModelFileError(
      'MODEL_FILE_INVALID_JSON',
      path,
      `${path} is not valid JSON: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ModelFileError('MODEL_FILE_INVALID_JSON', path, `${path} does not hold a JSON object.`);
  }
  return value as Record<string, unknown>;
}
