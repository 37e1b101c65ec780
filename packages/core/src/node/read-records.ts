/// <reference types="node" />
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { DataFileError, type FileRecords, parseRecords } from '../io/parse-records.js';

export { DataFileError, type FileRecords } from '../io/parse-records.js';

/**
 * Reads training records from a JSON file (an array of records, or an object holding one array such as
 * `{ "data": [...] }`) or a JSONL file (one record a line; blank lines skipped). The format follows the
 * extension (`.jsonl` / `.ndjson` → JSONL), and a `.json` file that is not one JSON value is read as JSONL.
 * Gzip-compressed files (`.gz`, recognised by their magic bytes) are decompressed first; `limit` keeps the
 * first records only. Errors name the file and line. Shared by every trainer's command line.
 *
 * @example
 * ```ts
 * const { records, lines } = await readRecords('data/train.jsonl');
 * ```
 */
export async function readRecords(
  file: string,
  { limit }: { /** Keep only the first `limit` records. */ limit?: number } = {},
): Promise<FileRecords> {
  const all = await readAllRecords(file);
  if (limit === undefined || all.records.length <= limit) return all;
  return { records: all.records.slice(0, limit), lines: all.lines.slice(0, limit) };
}

async function readAllRecords(file: string): Promise<FileRecords> {
  let raw: Uint8Array;
  try {
    const bytes = await readFile(file);
    const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
    raw = gzip ? gunzipSync(bytes) : bytes;
  } catch (error) {
    throw new DataFileError(file, null, `cannot be read: ${(error as Error).message}`, { cause: error });
  }
  return parseRecords(file, raw);
}
