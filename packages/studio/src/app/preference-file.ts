import { readRecordsFrom } from '@rlhf/core';
import type { PreferenceRecord } from './studio-messages.js';

/** Preference records as JSONL (TRL's `prompt` / `chosen` / `rejected`, one record a line). */
export function toJsonl(records: readonly PreferenceRecord[]): string {
  return records.map((r) => JSON.stringify({ prompt: r.prompt, chosen: r.chosen, rejected: r.rejected })).join('\n');
}

/**
 * Reads preference records from a chosen file (JSONL or a JSON array); a record without string `prompt`,
 * `chosen` and `rejected` is an error naming its line.
 */
export async function readPreferenceFile(file: Blob): Promise<PreferenceRecord[]> {
  const { records, lines } = await readRecordsFrom(file);
  const name = (file as { name?: string }).name ?? 'the file';
  return records.map((r, i) => {
    const x = r as Record<string, unknown>;
    if (typeof x?.prompt !== 'string' || typeof x.chosen !== 'string' || typeof x.rejected !== 'string') {
      throw new Error(`${name} line ${lines[i]}: a preference record needs string "prompt", "chosen" and "rejected".`);
    }
    return { prompt: x.prompt, chosen: x.chosen, rejected: x.rejected };
  });
}
