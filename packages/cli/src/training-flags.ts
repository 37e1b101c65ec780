import { readFile } from 'node:fs/promises';
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
 * (`commandFlags`): the trainer's option keys in their own names (`--so_vong 1 --toc_do_hoc 1e-4`).
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
  const own = new Set([...commandFlags, 'config', 'json', 'verbose', 'backend']);
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
  for (const [name, raw] of args.flags) if (!own.has(name)) options[name] = flagValue(raw);
  return options;
}
