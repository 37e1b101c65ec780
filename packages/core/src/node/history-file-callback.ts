/// <reference types="node" />
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LogRecord } from '../trainer/training-history.js';

/**
 * A trainer callback that writes every history record as one JSON line to `file` (created, or truncated,
 * at the first record; its folder made as needed) and then passes the record on to `next` (whose return
 * value — `false` stops training — is returned). With `file` null it only forwards.
 *
 * @example
 * ```ts
 * const callback = historyFileCallback('runs/sft/history.jsonl', (r) => console.log(r.step));
 * await trainer.huan_luyen(model, data, null, null, callback);
 * ```
 */
export function historyFileCallback(
  file: string | null | undefined,
  next?: (record: LogRecord) => unknown,
): (record: LogRecord) => Promise<unknown> {
  let started = false;
  return async (record) => {
    if (file) {
      const line = `${JSON.stringify(record)}\n`;
      if (!started) {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, line);
        started = true;
      } else await appendFile(file, line);
    }
    return next?.(record);
  };
}
