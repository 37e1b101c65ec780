import { RlhfError, readRecordsFrom, TrainingDataError } from '@rlhf/core';
import { recordKind, type SFTRecord } from '@rlhf/sft';

/** An SFT record in a pasted text or chosen file that the library cannot train on; the message names the line. */
export class SftFileError extends RlhfError {
  constructor(
    /** The file's name (`pasted.jsonl` for pasted text). */
    readonly file: string,
    /** 1-based line of the record at fault. */
    readonly line: number,
    reason: string,
  ) {
    super('STUDIO_SFT_RECORD_INVALID', `${file} line ${line}: ${reason}`);
  }
}

/**
 * Reads SFT records (text, prompt-completion, conversational or pre-tokenised, as `SFTTrainer` reads them)
 * from a chosen file or pasted text (JSONL or a JSON array); a record in no known format is an
 * {@link SftFileError} naming its line, and text that does not parse is the core's error naming its line.
 */
export async function readSftFile(source: Blob, name: string): Promise<SFTRecord[]> {
  const { records, lines } = await readRecordsFrom(source, { name });
  if (records.length === 0) throw new SftFileError(name, 1, 'there are no records to train on.');
  records.forEach((record, i) => {
    try {
      recordKind(record, name, i);
    } catch (error) {
      if (error instanceof TrainingDataError) {
        const where = error.key === null ? 'the record' : `"${error.key}"`;
        throw new SftFileError(name, lines[i] ?? i + 1, `${where} ${error.reason}.`);
      }
      throw error;
    }
  });
  return records as SFTRecord[];
}
