import { PreferenceDataError } from '../errors/preference-data-error.js';
import { toPreferencePair } from './preference-record.js';

/** A record left out by {@link validPreferenceRecords}, with why. */
export interface SkippedRecord {
  /** Index in the input. */
  index: number;
  /** The {@link PreferenceDataError}'s message. */
  reason: string;
}

/** The outcome of {@link validPreferenceRecords}. */
export interface ValidRecords<T> {
  /** The records the trainer accepts, in input order. */
  records: T[];
  /** The others, by input index. */
  skipped: SkippedRecord[];
}

/**
 * Splits records into those the trainer accepts and those it would reject (unknown layout, empty
 * response, ...), for real datasets with a few bad rows — HH-RLHF's harmless-base test split has four
 * empty replies. The trainer itself never skips silently: it throws on the first bad record.
 *
 * @example
 * ```ts
 * const { records, skipped } = validPreferenceRecords(await readPreferenceFile(path));
 * console.log(`${skipped.length} skipped, e.g. record ${skipped[0]?.index}: ${skipped[0]?.reason}`);
 * ```
 */
export function validPreferenceRecords<T>(records: readonly T[]): ValidRecords<T> {
  const kept: T[] = [];
  const skipped: SkippedRecord[] = [];
  records.forEach((record, index) => {
    try {
      toPreferencePair(record, index);
      kept.push(record);
    } catch (error) {
      if (!PreferenceDataError.isInstance(error)) throw error;
      skipped.push({ index, reason: error.message });
    }
  });
  return { records: kept, skipped };
}
