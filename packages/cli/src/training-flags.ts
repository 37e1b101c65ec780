import { readFile } from 'node:fs/promises';
import { canonicalOptionKey } from '@rlhf/core';
import { type ParsedArgs, UsageError } from './args.js';

/** Parses a flag value as JSON when it is one (numbers, booleans, null, arrays, objects), else a string. */
function flagValue(raw: string | true): unknown {
  if (raw === true) return true;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * Reads `--config FILE.json` (when given) and overlays every flag that is not one of the command's own
 * (`commandFlags`, kebab-case): the trainer's option keys in their own names, in either spelling
 * (`--so_vong 1 --toc-do-hoc 1e-4`), or TRL's aliases (`--learning-rate 1e-4`).
 * The trainer validates the result, so an unknown key is reported by name.
 *
 * @example
 * ```ts
 * const options = await trainingOptions(args, ['model', 'data', 'out']);
 * ```
 */
export async function trainingOptions(
  args: ParsedArgs,
  commandFlags: readonly string[],
): Promise<Record<string, unknown>> {
  const own = new Set([...commandFlags, 'config', 'json', 'verbose', 'backend', 'help']);
  let base: Record<string, unknown> = {};
  const configPath = args.flags.get('config');
  if (typeof configPath === 'string') {
    try {
      base = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`--config ${configPath}: ${(error as Error).message}`);
    }
    if (typeof base !== 'object' || base === null || Array.isArray(base))
      throw new UsageError(`--config ${configPath} must hold a JSON object.`);
  }
  const options = { ...base };
  // Flags are kebab-case after parsing; option keys are snake_case (`--so-vong` and `--so_vong` are `so_vong`).
  // A key the config file gives in the other spelling of the same option is replaced by the flag's.
  for (const [name, raw] of args.flags) {
    if (own.has(name)) continue;
    const key = name.replace(/-/g, '_');
    for (const other of Object.keys(options))
      if (other !== key && canonicalOptionKey(other) === canonicalOptionKey(key) && Object.hasOwn(base, other))
        delete options[other];
    options[key] = flagValue(raw);
  }
  return options;
}
