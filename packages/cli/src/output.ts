/**
 * Where a command's words go: with `--json`, progress to stderr and one JSON object as the last line of
 * stdout; otherwise human-readable lines on stdout.
 */
export interface CommandOutput {
  /** A progress or information line (stderr under `--json`). */
  info(line: string): void;
  /** A note about how the command runs (e.g. which backend), never part of the result: always on stderr. */
  notice(line: string): void;
  /** The command's result. */
  result(value: unknown, human: string): void;
}

/**
 * The output for a command invocation.
 *
 * @example
 * ```ts
 * const out = commandOutput(true);
 * out.result({ out: 'dir' }, 'Converted.');
 * ```
 */
export function commandOutput(
  json: boolean,
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): CommandOutput {
  return {
    info: (line) => (json ? stderr : stdout).write(`${line}\n`),
    notice: (line) => stderr.write(`${line}\n`),
    result: (value, human) => {
      if (json) stdout.write(`${JSON.stringify(value)}\n`);
      else stdout.write(`${human}\n`);
    },
  };
}
