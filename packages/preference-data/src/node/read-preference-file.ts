/// <reference types="node" />
import { DataFileError, type FileRecords, readRecords } from '@rlhf/core/node';

/**
 * A preference file cannot be read or parsed, or one of its records is unusable; names the file and line.
 * The same class as core's {@link DataFileError} (every trainer's data files fail the same way).
 *
 * @example
 * ```ts
 * if (e instanceof PreferenceFileError) console.error(e.file, e.line);
 * ```
 */
export const PreferenceFileError = DataFileError;
/** The type of {@link PreferenceFileError}. */
export type PreferenceFileError = DataFileError;

/** The records of a preference file and the line each starts on. */
export type PreferenceFile = FileRecords;

/** Options of {@link readPreferenceFile}. */
export interface ReadPreferenceFileOptions {
  /** Keep only the first `limit` records. @defaultValue all */
  limit?: number;
}

/**
 * Reads preference records from a file (Node only): a JSON array (`.json`) or one JSON object per line
 * (`.jsonl`), optionally gzip-compressed — core's `readRecords`. The records are returned as they are; the
 * trainer recognises the layouts (`{ prompt, chosen, rejected }`, ShareGPT, HH-RLHF, pre-tokenised).
 *
 * @example
 * ```ts
 * import { readPreferenceFile } from '@rlhf/preference-data/node';
 * const { records } = await readPreferenceFile('data/datasets/hh-rlhf/harmless-base_test.jsonl.gz', { limit: 100 });
 * ```
 */
export function readPreferenceFile(path: string, options: ReadPreferenceFileOptions = {}): Promise<PreferenceFile> {
  return readRecords(path, options.limit === undefined ? {} : { limit: options.limit });
}
