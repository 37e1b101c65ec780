import { FileSystemError, RlhfError } from '@rlhf/core';
import { type ParsedArgs, parseArgs, UsageError } from './args.js';
import { benchCommand } from './commands/bench.js';
import { convertCommand } from './commands/convert.js';
import { generateCommand } from './commands/generate.js';
import { demoCommand, pipelineCommand } from './commands/pipeline.js';
import { dpoCommand, rewardCommand, scoreCommand, sftCommand } from './commands/train.js';
import { type CommandOutput, commandOutput } from './output.js';

/** The streams the CLI writes to. */
export interface CliIO {
  /** Results (with `--json`, the last line is one JSON object). */
  stdout: NodeJS.WritableStream;
  /** Progress, logs and error messages. */
  stderr: NodeJS.WritableStream;
}

type Command = (args: ParsedArgs, out: CommandOutput) => Promise<void>;

/** The sub-commands of `rlhf`. */
const COMMANDS: Record<string, Command> = {
  convert: convertCommand,
  generate: generateCommand,
  sft: sftCommand,
  reward: rewardCommand,
  score: scoreCommand,
  dpo: dpoCommand,
  pipeline: pipelineCommand,
  demo: demoCommand,
  bench: benchCommand,
};

const USAGE = `Usage: rlhf <command> [flags]
Commands: ${Object.keys(COMMANDS).join(', ')}
Common flags: --json (one JSON result on the last stdout line), --backend NAME, --verbose`;

/**
 * Runs the `rlhf` command line and returns the exit code: errors print one sentence on stderr (the
 * stack only with `--verbose`).
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2));
 * ```
 */
export async function runCli(
  argv: readonly string[],
  io: CliIO = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let verbose = argv.includes('--verbose');
  try {
    const args = parseArgs(argv);
    verbose = args.flags.has('verbose');
    const name = args.positional[0];
    if (!name || args.flags.has('help')) {
      io.stdout.write(`${USAGE}\n`);
      return name ? 0 : 1;
    }
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`Unknown command '${name}'. ${USAGE}`);
    await command(args, commandOutput(args.flags.has('json'), io.stdout, io.stderr));
    return 0;
  } catch (caught) {
    // A raw file-system error (errno code and path) that escaped the wrapping at the I/O boundary still
    // reaches the user as a typed FileSystemError naming the file and the command.
    const error = asFileSystemError(caught, argv[0] ?? 'rlhf');
    // A typed error prints its message and its stable code; anything else is a defect of ours and says so.
    const line = RlhfError.isInstance(error)
      ? `rlhf: ${error.message} [${error.code}]`
      : `rlhf: internal error: ${error instanceof Error ? error.message : String(error)} [INTERNAL]`;
    io.stderr.write(`${line}\n`);
    if (verbose && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    if (!RlhfError.isInstance(error)) return INTERNAL_ERROR_EXIT;
    return error instanceof UsageError ? 2 : 1;
  }
}

/** Exit status of an untyped (internal) error: `EX_SOFTWARE` of sysexits.h. */
export const INTERNAL_ERROR_EXIT = 70;

/** A raw Node error carrying an errno `code` and a `path` becomes a {@link FileSystemError}; others pass. */
function asFileSystemError(error: unknown, command: string): unknown {
  const e = error as { code?: unknown; path?: unknown; syscall?: unknown } | null;
  if (RlhfError.isInstance(error) || typeof e?.code !== 'string' || typeof e.path !== 'string') return error;
  return FileSystemError.from(error, e.path, typeof e.syscall === 'string' ? e.syscall : 'access', `rlhf ${command}`);
}
