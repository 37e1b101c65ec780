/// <reference types="node" />
import { readFile } from 'node:fs/promises';
import { RewardInputError } from '../errors/reward-errors.js';
import { validateTexts } from '../scoring/validate-texts.js';

/**
 * Reads the texts to score from a file: a JSON array of strings, or JSONL with one JSON string per line
 * (blank lines skipped). Errors ({@link RewardInputError}) name the file and, for JSONL, the line.
 *
 * @example
 * ```ts
 * import { readTextsFile } from '@rlhf/reward/node';
 * const texts = await readTextsFile('texts.json'); // ['Once upon a time ...', ...]
 * ```
 */
export async function readTextsFile(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new RewardInputError(path, `cannot be read (${(error as Error).message})`);
  }
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      throw new RewardInputError(path, `is not valid JSON (${(error as Error).message})`);
    }
    return validateTexts(value, path);
  }
  const values = text.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as unknown];
    } catch (error) {
      throw new RewardInputError(`${path}:${i + 1}`, `is not a JSON string (${(error as Error).message})`);
    }
  });
  return validateTexts(values, path);
}
