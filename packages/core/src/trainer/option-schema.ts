import { ConfigError } from './config-error.js';
import { canonicalOptions, type TRL_OPTION_ALIASES } from './option-aliases.js';

/**
 * One option of a trainer: its default, a phrase saying what is allowed, and the check. Build them with
 * {@link option}; validate a whole options object with {@link resolveOptions}.
 */
export interface OptionSpec<T> {
  /** Value used when the key is absent (or `undefined`). */
  readonly default: T;
  /** What is allowed, for error messages (`'an integer ≥ 1'`). */
  readonly allowed: string;
  /** True when `value` is acceptable. */
  readonly accepts: (value: unknown) => boolean;
  /** What the option means, one phrase in English (the specification's keys add their Vietnamese gloss); shown by `rlhf <command> --help`. */
  readonly description?: string;
}

/**
 * `spec` with its one-phrase meaning, the text `rlhf <command> --help` shows for the option.
 *
 * @example
 * ```ts
 * const specs = { so_vong: described('Number of epochs (số vòng)', option.integer(3, { min: 1 })) };
 * ```
 */
export function described<T>(description: string, spec: OptionSpec<T>): OptionSpec<T> {
  return { ...spec, description };
}

/** A table of option specs by key. */
export type OptionSpecs = Readonly<Record<string, OptionSpec<unknown>>>;

/** The resolved values of a table of option specs (every key present, defaults filled in). */
export type OptionValues<S extends OptionSpecs> = {
  -readonly [K in keyof S]: S[K] extends OptionSpec<infer T> ? T : never;
};

/**
 * What a user may pass for a table of option specs: every key optional, of its spec's type. A mapped type
 * of the table itself, so each key keeps the documentation written on the table.
 *
 * @example
 * ```ts
 * const specs = { so_vong: option.integer(3, { min: 1 }) };
 * const config: OptionConfig<typeof specs> = {}; // { so_vong?: number }
 * ```
 */
export type OptionConfig<S extends OptionSpecs> = {
  -readonly [K in keyof S]?: S[K] extends OptionSpec<infer T> ? T : never;
} & TrlAliasConfig<S>;

/** TRL's names (`learning_rate`, ...) of the table's keys, each optional and of its key's type. */
export type TrlAliasConfig<S extends OptionSpecs> = {
  -readonly [A in keyof typeof TRL_OPTION_ALIASES as (typeof TRL_OPTION_ALIASES)[A] extends keyof S
    ? A
    : never]?: S[(typeof TRL_OPTION_ALIASES)[A] & keyof S] extends OptionSpec<infer T> ? T : never;
};

/**
 * The defaults of a table of option specs.
 *
 * @example
 * ```ts
 * optionDefaults({ so_vong: option.integer(3, { min: 1 }) }); // { so_vong: 3 }
 * ```
 */
export function optionDefaults<S extends OptionSpecs>(specs: S): OptionValues<S> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) out[key] = spec.default;
  return out as OptionValues<S>;
}

/** Bounds of a numeric option ({@link option.number}, {@link option.integer}). */
export interface NumberBounds {
  /** Smallest allowed value (inclusive unless `minExclusive`). */
  min?: number;
  /** Largest allowed value (inclusive). */
  max?: number;
  /** Makes `min` exclusive. */
  minExclusive?: boolean;
}

function boundsPhrase(kind: string, { min, max, minExclusive }: NumberBounds): string {
  if (min !== undefined && max !== undefined) return `${kind} in ${minExclusive ? '(' : '['}${min}, ${max}]`;
  if (min !== undefined) return `${kind} ${minExclusive ? '>' : '≥'} ${min}`;
  if (max !== undefined) return `${kind} ≤ ${max}`;
  return kind;
}

function inBounds(x: number, { min, max, minExclusive }: NumberBounds): boolean {
  if (min !== undefined && (minExclusive ? !(x > min) : !(x >= min))) return false;
  if (max !== undefined && !(x <= max)) return false;
  return true;
}

/**
 * Builders of {@link OptionSpec}s.
 *
 * @example
 * ```ts
 * const specs = {
 *   so_vong: option.integer(3, { min: 1 }),
 *   toc_do_hoc: option.number(2e-5, { min: 0 }),
 *   lr_scheduler_type: option.oneOf('linear', ['linear', 'cosine', 'constant'] as const),
 * };
 * ```
 */
export const option = {
  /** A finite number within bounds. */
  number(defaultValue: number, bounds: NumberBounds = {}): OptionSpec<number> {
    return {
      default: defaultValue,
      allowed: boundsPhrase('a number', bounds),
      accepts: (v) => typeof v === 'number' && Number.isFinite(v) && inBounds(v, bounds),
    };
  },
  /** An integer within bounds. */
  integer(defaultValue: number, bounds: NumberBounds = {}): OptionSpec<number> {
    return {
      default: defaultValue,
      allowed: boundsPhrase('an integer', bounds),
      accepts: (v) => typeof v === 'number' && Number.isInteger(v) && inBounds(v, bounds),
    };
  },
  /** `true` or `false`. */
  boolean(defaultValue: boolean): OptionSpec<boolean> {
    return { default: defaultValue, allowed: 'true or false', accepts: (v) => typeof v === 'boolean' };
  },
  /** One of a fixed list of strings. */
  oneOf<const T extends string>(defaultValue: T, values: readonly T[]): OptionSpec<T> {
    return {
      default: defaultValue,
      allowed: `one of ${values.map((v) => `'${v}'`).join(', ')}`,
      accepts: (v) => typeof v === 'string' && (values as readonly string[]).includes(v),
    };
  },
  /** Any value accepted by a custom check, described by `allowed`. */
  custom<T>(defaultValue: T, allowed: string, accepts: (value: unknown) => boolean): OptionSpec<T> {
    return { default: defaultValue, allowed, accepts };
  },
  /** `spec`, or `null` (the default) for "not set". */
  nullable<T>(spec: OptionSpec<T>): OptionSpec<T | null> {
    return { default: null, allowed: `${spec.allowed}, or null`, accepts: (v) => v === null || spec.accepts(v) };
  },
};

/**
 * Validates a trainer's options object against its specs and fills in defaults. Throws a
 * {@link ConfigError} naming the key for an unknown key (suggesting the closest known one), a wrong type or
 * an out-of-range value. A key given as `undefined` counts as absent. TRL's names of
 * `TRL_OPTION_ALIASES` are accepted for the specification's keys; giving both spellings of one option
 * throws an `OptionSpellingError`.
 *
 * @example
 * ```ts
 * const opts = resolveOptions('SFTTrainer', specs, { so_vong: 1 }); // { so_vong: 1, toc_do_hoc: 2e-5, ... }
 * resolveOptions('SFTTrainer', specs, { so_vongg: 1 }); // throws: unknown option 'so_vongg' (did you mean 'so_vong'?)
 * ```
 */
export function resolveOptions<S extends OptionSpecs>(owner: string, specs: S, given: unknown = {}): OptionValues<S> {
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw new ConfigError(owner, '(options)', given, 'an options object');
  }
  const known = Object.keys(specs);
  // TRL's names (`learning_rate`, ...) stand for the specification's keys; both spellings at once is an error.
  const canonical = canonicalOptions(owner, given as Record<string, unknown>, known);
  const givenAs = canonical.givenAs;
  given = canonical.options;
  for (const key of Object.keys(canonical.options)) {
    if (!Object.hasOwn(specs, key)) {
      const near = closest(key, known);
      throw new ConfigError(
        owner,
        key,
        (given as Record<string, unknown>)[key],
        `one of the known options: ${known.join(', ')}`,
        near ? `unknown option; did you mean '${near}'?` : 'unknown option',
      );
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const value = (given as Record<string, unknown>)[key];
    if (value === undefined) {
      out[key] = spec.default;
      continue;
    }
    if (!spec.accepts(value))
      throw new ConfigError(owner, key, value, spec.allowed, givenAs[key] ? `given as '${givenAs[key]}'` : undefined);
    out[key] = value;
  }
  return out as OptionValues<S>;
}

/** The known key nearest to `key` by edit distance, when it is close (≤ 2 edits or a case difference). */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = k.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, k);
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  return bestDistance <= 2 ? best : undefined;
}

/** Levenshtein distance (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
    }
    prev = row;
  }
  return prev[b.length] as number;
}
