import { RlhfError } from '@rlhf/core';

/** Parsed command line: positional words and `--flag value` options (flags without a value are `true`). */
export interface ParsedArgs {
  /** Words that are not flags or flag values (the command, `llama2c`, ...). */
  positional: string[];
  /** Flags by name without the leading `--`, in kebab-case (`--max_new_tokens` is `max-new-tokens`); repeated flags keep the last value. */
  flags: Map<string, string | true>;
}

/** Flags that never take a value. */
const BOOLEAN_FLAGS = new Set([
  'json',
  'verbose',
  'help',
  'version',
  'no-cache',
  'resume',
  'vi',
  'overwrite',
  'skip-invalid',
]);

/**
 * A command-line usage error (unknown flag, missing value, bad number). Printed as one sentence.
 *
 * @example
 * ```ts
 * throw new UsageError("--max-new-tokens expects a number, got 'x'");
 * ```
 */
export class UsageError extends RlhfError {
  /** Builds the error from a one-sentence message naming the flag or argument at fault. */
  constructor(message: string) {
    super('USAGE', message);
  }
}

/**
 * Parses `argv` (without node and script): `--name value`, `--name=value`, and boolean flags. Every flag
 * is accepted in `--kebab-case` and `--snake_case` and stored in kebab-case; `-h` is `--help`.
 *
 * @example
 * ```ts
 * parseArgs(['generate', '--model', 'out', '--json']); // positional ['generate'], flags model=out, json=true
 * ```
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h') {
      flags.set('help', true);
      continue;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq > 0 ? eq : undefined).replace(/_/g, '-');
    if (eq > 0) flags.set(name, arg.slice(eq + 1));
    else if (BOOLEAN_FLAGS.has(name)) flags.set(name, true);
    else {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value.`);
      flags.set(name, value);
      i++;
    }
  }
  return { positional, flags };
}

/** Reads a string flag (required unless a fallback is given). */
export function stringFlag(args: ParsedArgs, name: string, fallback?: string): string {
  const v = args.flags.get(name);
  if (typeof v === 'string') return v;
  if (fallback !== undefined) return fallback;
  throw new UsageError(`--${name} is required.`);
}

/** Reads a numeric flag. */
export function numberFlag(args: ParsedArgs, name: string, fallback: number): number {
  const v = args.flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`--${name} expects a number, got '${String(v)}'.`);
  return n;
}

/** Throws a {@link UsageError} for flags a command does not know. */
export function rejectUnknownFlags(args: ParsedArgs, known: readonly string[]): void {
  for (const name of args.flags.keys()) {
    if (!known.includes(name) && !['json', 'verbose', 'backend', 'help'].includes(name)) {
      throw new UsageError(`Unknown flag --${name} (known: ${known.map((k) => `--${k}`).join(', ')}).`);
    }
  }
}
