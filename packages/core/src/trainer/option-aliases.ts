import { RlhfError } from '../errors/rlhf-error.js';

/**
 * The one table of Hugging Face TRL's option names (`SFTConfig`, `RewardConfig`, `DPOConfig`, all
 * `transformers.TrainingArguments` underneath; checked against TRL 0.24's documentation) that name the
 * same thing as one of the specification's keys, TRL's name → the specification's. Trainers, the pipeline,
 * config files and the CLI accept the TRL name as an alias; `rlhf export-trl` maps the other way. Keys that
 * TRL spells the same way (`warmup_ratio`, `beta`, `loss_type`, ...) need no entry.
 *
 * @example
 * ```ts
 * TRL_OPTION_ALIASES.learning_rate; // 'toc_do_hoc'
 * ```
 */
export const TRL_OPTION_ALIASES = {
  /** `TrainingArguments.learning_rate` → tốc độ học. */
  learning_rate: 'toc_do_hoc',
  /** `TrainingArguments.num_train_epochs` → số vòng. */
  num_train_epochs: 'so_vong',
  /** `TrainingArguments.per_device_train_batch_size` → kích thước batch. */
  per_device_train_batch_size: 'kich_thuoc_batch',
  /** `TrainingArguments.gradient_accumulation_steps`. */
  gradient_accumulation_steps: 'gradient_accumulation',
  /** `TrainingArguments.max_grad_norm`. */
  max_grad_norm: 'gradient_clip',
  /** `SFTConfig` / `DPOConfig` / `RewardConfig` `max_length`. */
  max_length: 'max_seq_length',
} as const satisfies Record<string, string>;

/** A TRL option name of {@link TRL_OPTION_ALIASES}. */
export type TrlOptionAlias = keyof typeof TRL_OPTION_ALIASES;

/**
 * One option was given under both of its spellings (the specification's key and its TRL alias), e.g.
 * `toc_do_hoc` and `learning_rate`. Names both spellings and both values.
 *
 * @example
 * ```ts
 * resolveOptions('SFTTrainer', SFT_OPTION_SPECS, { toc_do_hoc: 1e-4, learning_rate: 1e-3 }); // throws
 * ```
 */
export class OptionSpellingError extends RlhfError {
  /** Builds the error from the owner and the two spellings given for one option. */
  constructor(
    /** The trainer (or other owner) of the option. */
    readonly owner: string,
    /** The specification's key. */
    readonly key: string,
    /** The alias given as well. */
    readonly alias: string,
  ) {
    super(
      'CONFIG_BOTH_SPELLINGS',
      `${owner}: option '${key}' is given twice, as '${key}' and as its alias '${alias}'; give one of them.`,
    );
  }
}

/**
 * The specification's key for an option name: the name itself, or the key its TRL alias stands for.
 *
 * @example
 * ```ts
 * canonicalOptionKey('learning_rate'); // 'toc_do_hoc'
 * canonicalOptionKey('beta'); // 'beta'
 * ```
 */
export function canonicalOptionKey(name: string): string {
  return Object.hasOwn(TRL_OPTION_ALIASES, name) ? TRL_OPTION_ALIASES[name as TrlOptionAlias] : name;
}

/**
 * The TRL aliases of a key (empty when TRL spells it the same way).
 *
 * @example
 * ```ts
 * aliasesOf('so_vong'); // ['num_train_epochs']
 * ```
 */
export function aliasesOf(key: string): string[] {
  return Object.entries(TRL_OPTION_ALIASES)
    .filter(([, k]) => k === key)
    .map(([alias]) => alias);
}

/** What {@link canonicalOptions} returns. */
export interface CanonicalOptions {
  /** The options under the specification's keys. */
  options: Record<string, unknown>;
  /** For each key given under a TRL alias, that alias. */
  givenAs: Record<string, string>;
}

/**
 * Rewrites an options object's TRL aliases to the specification's keys (only for keys `known` holds, so an
 * alias of an option the owner lacks stays as given and is reported as unknown). Throws an
 * {@link OptionSpellingError} when both spellings of one option are present. Returns the rewritten object
 * and, for each rewritten key, the alias it was given as.
 *
 * @example
 * ```ts
 * canonicalOptions('SFTTrainer', { learning_rate: 1e-4 }, ['toc_do_hoc']);
 * // { options: { toc_do_hoc: 1e-4 }, givenAs: { toc_do_hoc: 'learning_rate' } }
 * ```
 */
export function canonicalOptions(
  owner: string,
  given: Readonly<Record<string, unknown>>,
  known: readonly string[],
): CanonicalOptions {
  const options: Record<string, unknown> = {};
  const givenAs: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    const key = canonicalOptionKey(name);
    if (key === name || !known.includes(key)) {
      if (Object.hasOwn(givenAs, name)) throw new OptionSpellingError(owner, name, givenAs[name] as string);
      options[name] = value;
      continue;
    }
    if (Object.hasOwn(options, key)) throw new OptionSpellingError(owner, key, name);
    options[key] = value;
    givenAs[key] = name;
  }
  return { options, givenAs };
}
