/// <reference types="node" />
import { type FileRecords, readRecords } from '@rlhf/core/node';

/** The records of a KTO file and the line each starts on. */
export type KtoFile = FileRecords;

/** Options of {@link readKtoFile}. */
export interface ReadKtoFileOptions {
  /** Keep only the first `limit` records. @defaultValue all */
  limit?: number;
}

/**
 * Reads KTO records from a file (Node only): a JSON array (`.json`) or one JSON object per line (`.jsonl`),
 * optionally gzip-compressed — core's `readRecords`, as `readPreferenceFile`. The records are returned as they
 * are; `KTOTrainer` checks them (`{ prompt, completion, label }` or pre-tokenised), and a file that cannot be read
 * or parsed throws core's `DataFileError` naming the file and line.
 *
 * @example
 * ```ts
 * import { readKtoFile } from '@rlhf/kto/node';
 * const { records, lines } = await readKtoFile('data/feedback.jsonl', { limit: 100 });
 * ```
 */
export function readKtoFile(path: string, options: ReadKtoFileOptions = {}): Promise<KtoFile> {
  return readRecords(path, options.limit === undefined ? {} : { limit: options.limit });
}
