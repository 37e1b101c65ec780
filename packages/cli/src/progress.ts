/** A progress display for one stage of work. */
export interface Progress {
  /** Records progress: `done` of `total` units, with a short status (e.g. the latest loss). */
  update(done: number, status?: string): void;
  /** Ends the display with a final line. */
  finish(status?: string): void;
}

/**
 * A progress bar on a terminal (redrawn in place; a step counter when `total` is 0 = unknown), plain log
 * lines otherwise (one per update, so logs
 * and CI output stay readable).
 *
 * @example
 * ```ts
 * const bar = progressBar(process.stderr, 'sft', 120);
 * bar.update(10, 'loss 2.31');
 * bar.finish('done');
 * ```
 */
export function progressBar(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  label: string,
  total: number,
): Progress {
  const tty = stream.isTTY === true;
  const started = Date.now();
  let last = '';
  const line = (done: number, status: string) => {
    const elapsed = ((Date.now() - started) / 1000).toFixed(1);
    const count = total > 0 ? `${done}/${total}` : `step ${done}`;
    if (!tty) return `[${label}] ${count} ${status} (${elapsed}s)`;
    const width = 24;
    const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
    const bar = total > 0 ? `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ` : '';
    return `${label.padEnd(10)} ${bar}${count} ${status} ${elapsed}s`;
  };
  return {
    update(done, status = '') {
      last = line(done, status);
      stream.write(tty ? `\r\x1b[2K${last}` : `${last}\n`);
    },
    finish(status = '') {
      const text = status ? `${label}: ${status}` : last;
      stream.write(tty ? `\r\x1b[2K${text}\n` : `${text}\n`);
    },
  };
}
