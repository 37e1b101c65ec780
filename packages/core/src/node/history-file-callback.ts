/// <reference types="node" />
import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FileSystemError } from '../errors/file-system-error.js';
import type { LogRecord } from '../trainer/training-history.js';
import type { TrainingProgress } from '../trainer/training-progress.js';
import { temporaryName } from './orphaned-temporaries.js';

/** Options of {@link historyFileCallback}. */
export interface HistoryFileOptions {
  /**
   * The run resumes from a checkpoint: the file's earlier records are kept, except those at or after the
   * first step the resumed run logs (written after the checkpoint by the interrupted run, logged again
   * now), so each step is in the file exactly once. @defaultValue false (the file is started afresh)
   */
  resume?: boolean;
}

/**
 * A trainer callback that writes every history record as one JSON line to `file` (created, or truncated,
 * at the first record; its folder made as needed) and then passes the record on to `next` (whose return
 * value — `false` stops training — is returned). With `file` null it only forwards. With `resume`, the
 * history written before the interruption is kept (see {@link HistoryFileOptions.resume}). Nothing is
 * written before the first record, so a run that fails validation leaves an earlier file as it was.
 * File-system failures are {@link FileSystemError}s naming the file.
 *
 * @example
 * ```ts
 * const callback = historyFileCallback('runs/sft/history.jsonl', (r) => console.log(r.step));
 * await trainer.huan_luyen(model, data, null, null, callback);
 * ```
 */
export function historyFileCallback(
  file: string | null | undefined,
  next?: (record: LogRecord, progress?: Readonly<TrainingProgress>) => unknown,
  { resume = false }: HistoryFileOptions = {},
): (record: LogRecord, progress?: Readonly<TrainingProgress>) => Promise<unknown> {
  let started = false;
  return async (record, progress) => {
    if (file) {
      const line = `${JSON.stringify(record)}\n`;
      try {
        if (!started) {
          await mkdir(dirname(file), { recursive: true });
          const kept = resume ? await recordsBefore(file, record.step) : '';
          const temp = join(dirname(file), temporaryName(basename(file), 'tmp', randomBytes(4).toString('hex')));
          await writeFile(temp, kept + line);
          await rename(temp, file).catch(async (error: unknown) => {
            await rm(temp, { force: true });
            throw error;
          });
          started = true;
        } else await appendFile(file, line);
      } catch (error) {
        throw FileSystemError.from(error, file, 'write', 'writing the training history');
      }
    }
    return next?.(record, progress);
  };
}

/** The JSON lines of `file` whose `step` is below `step` (an absent file has none). */
async function recordsBefore(file: string, step: number): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    let value: { step?: unknown } | null = null;
    try {
      value = JSON.parse(line) as { step?: unknown } | null;
    } catch {
      continue; // empty, or a line cut by the kill
    }
    if (typeof value?.step === 'number' && value.step < step) kept.push(`${line}\n`);
  }
  return kept.join('');
}
