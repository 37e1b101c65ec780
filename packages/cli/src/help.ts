import { aliasesOf, type OptionSpec } from '@rlhf/core';
import { UsageError } from './args.js';
import {
  COMMAND_SPECS,
  COMMON_FLAGS,
  type CommandName,
  type CommandSpec,
  type FlagSpec,
  kebab,
} from './command-specs.js';

/** Trainer options the CLI does not take as flags: `backend` is the common `--backend` flag. */
export const OPTIONS_NOT_FLAGS: ReadonlySet<string> = new Set(['backend']);

function flagLine(f: FlagSpec): string {
  const head = `  --${f.name}${f.value ? ` ${f.value}` : ''}`;
  const facts = [f.type, f.required ? 'required' : f.default !== undefined ? `default ${f.default}` : ''].filter(
    Boolean,
  );
  return `${head.padEnd(28)} ${f.description} (${facts.join(', ')})`;
}

function optionLines(key: string, spec: OptionSpec<unknown>): string[] {
  const aliases = aliasesOf(key);
  const facts = [
    `default ${JSON.stringify(spec.default)}`,
    `config key ${key}`,
    ...(aliases.length ? [`TRL: ${aliases.join(', ')}`] : []),
  ];
  return [
    `  --${kebab(key)} <${spec.allowed}>`,
    `      ${spec.description ?? ''}${spec.description ? '. ' : ''}${facts.join('; ')}.`,
  ];
}

/**
 * The help of one command: what it does, its usage, every flag with its type, default and meaning, every
 * trainer option (from the trainer's option table: type, default, meaning, config key, TRL alias), the
 * common flags and an example.
 *
 * @example
 * ```ts
 * commandHelp('sft'); // 'rlhf sft — Supervised fine-tuning ...'
 * ```
 */
export function commandHelp(name: CommandName): string {
  const spec: CommandSpec = COMMAND_SPECS[name];
  const lines = [`rlhf ${name} — ${spec.summary}`, '', 'Usage:', `  rlhf ${spec.usage}`, '', 'Flags:'];
  lines.push(...spec.flags.map(flagLine));
  if (spec.options) {
    lines.push(
      '',
      `Training options (${spec.options.owner}): as flags, or as keys of --config FILE.json. Flags are accepted`,
      "in --kebab-case and --snake_case; TRL's names (learning_rate, ...) are aliases; giving both spellings is an error.",
    );
    for (const [key, option] of Object.entries(spec.options.specs))
      if (!OPTIONS_NOT_FLAGS.has(key)) lines.push(...optionLines(key, option));
  }
  if (spec.notes) lines.push('', ...spec.notes);
  lines.push('', 'Common flags:', ...COMMON_FLAGS.map(flagLine), '', 'Example:', `  ${spec.example}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The help of `rlhf` itself: the commands, each with its summary, and where to read more.
 *
 * @example
 * ```ts
 * generalHelp('0.1.0');
 * ```
 */
export function generalHelp(version: string): string {
  const names = Object.keys(COMMAND_SPECS) as CommandName[];
  const width = Math.max(...names.map((n) => n.length)) + 2;
  return `${[
    `rlhf ${version} — train language models with SFT, reward models and DPO, in JavaScript.`,
    '',
    'Usage: rlhf <command> [flags]',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}${COMMAND_SPECS[n].summary}`),
    '',
    'Common flags:',
    ...COMMON_FLAGS.map(flagLine),
    `  ${'--version'.padEnd(26)} Print the version and exit.`,
    '',
    'Flags are accepted in --kebab-case and --snake_case. `rlhf help <command>` or `rlhf <command> --help`',
    'lists every flag of a command with its type, default and meaning.',
    '',
    'Example:',
    `  ${COMMAND_SPECS.demo.example}`,
  ].join('\n')}\n`;
}

/**
 * The command a name names, or a {@link UsageError} listing the commands.
 *
 * @example
 * ```ts
 * commandNamed('sft'); // 'sft'
 * ```
 */
export function commandNamed(name: string): CommandName {
  if (Object.hasOwn(COMMAND_SPECS, name)) return name as CommandName;
  throw new UsageError(
    `Unknown command '${name}' (commands: ${Object.keys(COMMAND_SPECS).join(', ')}); see rlhf --help.`,
  );
}
