import type { LogRecord } from '@rlhf/core';

/** One progress report: optimizer steps done of those planned, and the latest logged figures. */
export interface ProgressUpdate {
  /** Optimizer steps done. */
  step: number;
  /** Optimizer steps the run is planned for (0: unknown). */
  total: number;
  /** Latest training loss. */
  loss?: number;
  /** Latest validation loss. */
  val_loss?: number;
  /** Input tokens per second over the last logged window. */
  tokens_per_second?: number;
}

/** A progress display for one stage of work. */
export interface Progress {
  /** Shows the latest state. */
  update(state: ProgressUpdate): void;
  /** Ends the display with a last line (none when nothing was shown): on a terminal the bar's line is finished, so what follows starts afresh. */
  finish(status?: string): void;
}

/** A stream a progress display writes to (`isTTY`: a terminal, where the bar is redrawn in place). */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean };

/**
 * Seconds as `m:ss` (or `h:mm:ss` from an hour on).
 *
 * @example
 * ```ts
 * clock(75); // '1:15'
 * ```
 */
export function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const [h, m, r] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(r)}` : `${m}:${pad(r)}`;
}

/**
 * The text of one progress line. ETA = (total − step) × seconds per step, the rate measured from the first
 * report on (`rateFrom`: the step and time of the first report; before a second report, from the start at
 * step 0), as tqdm estimates it.
 */
function progressLine(label: string, s: ProgressUpdate, elapsed: number, rate: number, tty: boolean): string {
  const parts: string[] = [];
  const known = s.total > 0;
  const fraction = known ? Math.min(1, s.step / s.total) : 0;
  if (tty && known) {
    const width = 24;
    const filled = Math.round(fraction * width);
    parts.push(`[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`);
  }
  parts.push(known ? `${s.step}/${s.total} steps ${(fraction * 100).toFixed(0)}%` : `step ${s.step}`);
  const eta = known && rate > 0 ? (s.total - s.step) / rate : Number.NaN;
  parts.push(`elapsed ${clock(elapsed)}${known ? ` eta ${clock(eta)}` : ''}`);
  if (s.tokens_per_second !== undefined && Number.isFinite(s.tokens_per_second))
    parts.push(`${Math.round(s.tokens_per_second)} tok/s`);
  if (s.loss !== undefined) parts.push(`loss ${s.loss.toFixed(4)}`);
  if (s.val_loss !== undefined) parts.push(`val_loss ${s.val_loss.toFixed(4)}`);
  return tty ? `${label.padEnd(8)} ${parts.join('  ')}` : `[${label}] ${parts.join(' · ')}`;
}

/**
 * A progress bar on a terminal (one line redrawn in place: bar, steps done of total, percentage, elapsed,
 * ETA, tokens/s, loss), plain lines otherwise (one per report, so logs and CI output stay readable).
 * `finish` ends the terminal's line before anything else is printed (and prints nothing when no report came).
 *
 * @example
 * ```ts
 * const bar = progressBar(process.stderr, 'sft');
 * bar.update({ step: 10, total: 120, loss: 2.31, tokens_per_second: 900 });
 * bar.finish('done');
 * ```
 */
export function progressBar(stream: ProgressStream, label: string, now: () => number = Date.now): Progress {
  const tty = stream.isTTY === true;
  const started = now();
  let first: { step: number; time: number } | null = null;
  let drawn = false;
  let last: ProgressUpdate | null = null;
  return {
    update(state) {
      const time = now();
      const elapsed = (time - started) / 1000;
      // Steps per second: from the first report on once there are two (a resumed run starts past 0).
      const rate =
        first && state.step > first.step
          ? (state.step - first.step) / ((time - first.time) / 1000)
          : elapsed > 0
            ? state.step / elapsed
            : 0;
      first ??= { step: state.step, time };
      last = { ...last, ...state };
      const text = progressLine(label, last, elapsed, rate, tty);
      stream.write(tty ? `\r\x1b[2K${text}` : `${text}\n`);
      drawn = tty;
    },
    finish(status = 'done') {
      if (last === null) return; // nothing was shown: nothing to end
      const elapsed = (now() - started) / 1000;
      const text = `${tty ? label.padEnd(8) : `[${label}]`} ${status} in ${clock(elapsed)}${last ? ` (${last.step} steps${last.loss !== undefined ? `, loss ${last.loss.toFixed(4)}` : ''})` : ''}`;
      stream.write(tty && drawn ? `\r\x1b[2K${text}\n` : `${text}\n`);
      drawn = false;
    },
  };
}

/**
 * The progress fields of a trainer's history record (its loss or validation loss, and tokens/s).
 *
 * @example
 * ```ts
 * bar.update({ step: r.step, total: progress.total_steps, ...recordFigures(r) });
 * ```
 */
export function recordFigures(record: LogRecord): Omit<ProgressUpdate, 'step' | 'total'> {
  return record.kind === 'train'
    ? { loss: record.loss, tokens_per_second: record.tokens_per_second }
    : { val_loss: record.val_loss };
}
