import { readFileSync } from 'node:fs';
import { FileSystemError, RlhfError } from '@rlhf/core';
import { type ParsedArgs, parseArgs, UsageError } from './args.js';
import type { CommandName } from './command-specs.js';
import { convertCommand } from './commands/convert.js';
import { exportTrlCommand } from './commands/export-trl.js';
import { generateCommand } from './commands/generate.js';
import { ktoCommand } from './commands/kto.js';
import { grpoCommand, rlooCommand } from './commands/online.js';
import { demoCommand, pipelineCommand } from './commands/pipeline.js';
import { cpoCommand, orpoCommand } from './commands/reference-free.js';
import { dpoCommand, rewardCommand, scoreCommand, sftCommand } from './commands/train.js';
import { commandHelp, commandNamed, generalHelp } from './help.js';
import { type CommandOutput, commandOutput } from './output.js';

/** The streams the CLI writes to. */
export interface CliIO {
  /** Results (with `--json`, the last line is one JSON object). */
  stdout: NodeJS.WritableStream;
  /** Progress, logs and error messages. */
  stderr: NodeJS.WritableStream;
}

type Command = (args: ParsedArgs, out: CommandOutput) => Promise<void>;

/** The sub-commands of `rlhf` (their flags and help: `COMMAND_SPECS`). */
const COMMANDS: Record<CommandName, Command> = {
  convert: convertCommand,
  generate: generateCommand,
  sft: sftCommand,
  reward: rewardCommand,
  score: scoreCommand,
  dpo: dpoCommand,
  kto: ktoCommand,
  orpo: orpoCommand,
  cpo: cpoCommand,
  grpo: grpoCommand,
  rloo: rlooCommand,
  pipeline: pipelineCommand,
  demo: demoCommand,
  'export-trl': exportTrlCommand,
};

/**
 * The version of `@rlhf/cli` (its package.json, one folder above `src/` and `dist/`).
 *
 * @example
 * ```ts
 * cliVersion(); // '0.1.0'
 * ```
 */
export function cliVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/**
 * Runs the `rlhf` command line and returns the exit code: errors print one sentence on stderr (the
 * stack only with `--verbose`); a usage error exits 2, another typed error 1. `--help`, `-h`,
 * `rlhf help [command]` and `rlhf <command> --help` print help on stdout and exit 0; `--version` prints the
 * version; no command at all prints the help on stderr and exits 2.
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
    if (args.flags.has('version') && !name) {
      io.stdout.write(`${cliVersion()}\n`);
      return 0;
    }
    if (name === 'help' || (!name && args.flags.has('help'))) {
      const topic = name === 'help' ? args.positional[1] : undefined;
      io.stdout.write(topic === undefined ? generalHelp(cliVersion()) : commandHelp(commandNamed(topic)));
      return 0;
    }
    if (!name) {
      io.stderr.write(generalHelp(cliVersion()));
      return 2;
    }
    const command = commandNamed(name);
    if (args.flags.has('help')) {
      io.stdout.write(commandHelp(command));
      return 0;
    }
    await COMMANDS[command](args, commandOutput(args.flags.has('json'), io.stdout, io.stderr));
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
