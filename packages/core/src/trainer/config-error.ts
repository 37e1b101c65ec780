import { RlhfError } from '../errors/rlhf-error.js';

/**
 * A trainer option is invalid: an unknown key, a wrong type or a value out of range. The message names the
 * trainer, the key, the value given and what is allowed; `key`, `value` and `allowed` are also fields.
 * Thrown at construction, before anything is trained or written.
 *
 * @example
 * ```ts
 * try {
 *   new SFTTrainer({ toc_do_hoc: -1 });
 * } catch (e) {
 *   if (ConfigError.isInstance(e)) console.error(e.message);
 *   // SFTTrainer: option 'toc_do_hoc' = -1 is not allowed; expected a number ≥ 0.
 * }
 * ```
 */
export class ConfigError extends RlhfError {
  /** Builds the error from the owner, the option key, its value and what is allowed (with a suggestion for a typo). */
  constructor(
    /** The trainer (or other owner) of the option, e.g. `'SFTTrainer'`. */
    readonly owner: string,
    /** The option key. */
    readonly key: string,
    /** The value given. */
    readonly value: unknown,
    /** What is allowed, as a phrase (`'an integer ≥ 1'`, `'one of linear, cosine, constant'`). */
    readonly allowed: string,
    detail?: string,
  ) {
    super(
      'CONFIG_INVALID',
      `${owner}: option '${key}' = ${describeValue(value)} is not allowed; expected ${allowed}${detail ? ` (${detail})` : ''}.`,
    );
  }
}

/**
 * A short, safe rendering of any option value for an error message.
 *
 * @example
 * ```ts
 * describeValue('cosine'); // '"cosine"'
 * describeValue({ r: 0 }); // '{"r":0}'
 * ```
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined)
    return String(value);
  if (typeof value === 'function') return 'a function';
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
