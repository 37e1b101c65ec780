/// <reference types="node" />
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { PreferenceDataError } from '../errors/preference-data-error.js';

/** Options of {@link readPreferenceFile}. */
export interface ReadPreferenceFileOptions {
  /** Keep only the first `limit` records. @defaultValue all */
  limit?: number;
}

/**
 * Reads preference records from a file (Node only): a JSON array (`.json`) or one JSON object per line
 * (`.jsonl`), optionally gzip-compressed (`.gz`, detected by its magic bytes). The records are returned as
 * they are; the trainer recognises the layouts (`{ prompt, chosen, rejected }`, ShareGPT, HH-RLHF,
 * pre-tokenised). A line or file that is not JSON throws a {@link PreferenceDataError} naming the line.
 *
 * @example
 * ```ts
 * import { readPreferenceFile } from '@rlhf/dpo/node';
 * const records = await readPreferenceFile('data/datasets/hh-rlhf/harmless-base_test.jsonl.gz', { limit: 100 });
 * ```
 */
export async function readPreferenceFile(path: string, { limit }: ReadPreferenceFileOptions = {}): Promise<unknown[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new PreferenceDataError(
      'PREFERENCE_DATA_EMPTY',
      null,
      null,
      `cannot be read from ${path}: ${(error as Error).message}`,
    );
  }
  const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  const text = (gzip ? gunzipSync(bytes) : bytes).toString('utf8');
  const max = limit ?? Number.POSITIVE_INFINITY;
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    let records: unknown;
    try {
      records = JSON.parse(trimmed);
    } catch (error) {
      throw new PreferenceDataError(
        'PREFERENCE_RECORD_INVALID',
        null,
        null,
        `in ${path} is not valid JSON: ${(error as Error).message}`,
      );
    }
    return (records as unknown[]).slice(0, max);
  }
  const records: unknown[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && records.length < max; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    try {
      records.push(JSON.parse(line));
    } catch (error) {
      throw new PreferenceDataError(
        'PREFERENCE_RECORD_INVALID',
        records.length,
        null,
        `(${path} line ${i + 1}) is not valid JSON: ${(error as Error).message}`,
      );
    }
  }
  return records;
}
