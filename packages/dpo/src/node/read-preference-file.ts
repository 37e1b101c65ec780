/// <reference types="node" />
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { RlhfError } from '@rlhf/core';

/**
 * A preference data file cannot be read or parsed, or one of its records is unusable. The message names
 * the file and the line (1-based) where it is known — the same code and wording as `@rlhf/sft`'s data file
 * errors, so the `rlhf` command reports both alike.
 *
 * @example
 * ```ts
 * throw new PreferenceFileError('pairs.jsonl', 3, 'is not valid JSON: Unexpected token }');
 * // pairs.jsonl line 3 is not valid JSON: Unexpected token }.
 * ```
 */
export class PreferenceFileError extends RlhfError {
  constructor(
    /** The file. */
    readonly file: string,
    /** 1-based line, or `null` when unknown (a JSON array, a whole-file problem). */
    readonly line: number | null,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super('DATA_FILE_INVALID', `${file}${line === null ? '' : ` line ${line}`} ${reason}.`, options);
  }
}

/** The records of a preference file and the line each starts on (`null` inside a JSON array). */
export interface PreferenceFile {
  /** The records, as parsed. */
  records: unknown[];
  /** 1-based line where record i starts (JSONL), `null` inside a JSON array. */
  lines: (number | null)[];
}

/** Options of {@link readPreferenceFile}. */
export interface ReadPreferenceFileOptions {
  /** Keep only the first `limit` records. @defaultValue all */
  limit?: number;
}

/**
 * Reads preference records from a file (Node only): a JSON array (`.json`) or one JSON object per line
 * (`.jsonl`, blank lines skipped), optionally gzip-compressed (detected by its magic bytes, e.g.
 * HH-RLHF's `.jsonl.gz`). The records are returned as they are — the trainer recognises the layouts
 * (`{ prompt, chosen, rejected }`, ShareGPT, HH-RLHF, pre-tokenised). Unreadable files and lines that are
 * not JSON throw a {@link PreferenceFileError} naming the file and line.
 *
 * @example
 * ```ts
 * import { readPreferenceFile } from '@rlhf/dpo/node';
 * const { records } = await readPreferenceFile('data/datasets/hh-rlhf/harmless-base_test.jsonl.gz', { limit: 100 });
 * ```
 */
export async function readPreferenceFile(
  path: string,
  { limit }: ReadPreferenceFileOptions = {},
): Promise<PreferenceFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new PreferenceFileError(path, null, `cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  let text = (gzip ? gunzipSync(bytes) : bytes).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const max = limit ?? Number.POSITIVE_INFINITY;
  if (text.trimStart().startsWith('[')) {
    let records: unknown[];
    try {
      records = JSON.parse(text) as unknown[];
    } catch (error) {
      throw new PreferenceFileError(path, null, `is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    const kept = records.slice(0, max);
    return { records: kept, lines: kept.map(() => null) };
  }
  const out: PreferenceFile = { records: [], lines: [] };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && out.records.length < max; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    try {
      out.records.push(JSON.parse(line));
      out.lines.push(i + 1);
    } catch (error) {
      throw new PreferenceFileError(path, i + 1, `is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  }
  return out;
}
