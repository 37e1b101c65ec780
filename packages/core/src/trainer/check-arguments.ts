import { InvalidArgumentError } from '../errors/tensor-errors.js';

/** A short description of what was given, for a message (never the whole object: models are large and cyclic). */
export function describeArgument(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== 'Object' ? `a ${name}` : 'an object';
  }
  if (typeof value === 'string')
    return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)})`;
  return `a ${typeof value} (${String(value)})`;
}

function reject(method: string, argument: string, value: unknown, expected: string): never {
  const shown =
    value === null || typeof value === 'boolean' || typeof value === 'number' ? value : describeArgument(value);
  throw new InvalidArgumentError(method, argument, shown, `must be ${expected}`);
}

/**
 * Checks that a trainer's model argument is a model: an object with the named methods (by default
 * `forward` and `parameters`). Throws an {@link InvalidArgumentError} naming the method, the argument
 * and the first missing member.
 *
 * @example
 * ```ts
 * requireModel('SFTTrainer.huan_luyen', 'model', model); // throws for null or {}
 * ```
 */
export function requireModel(
  method: string,
  argument: string,
  value: unknown,
  members: readonly string[] = ['forward', 'parameters'],
): void {
  if (value === null || typeof value !== 'object') {
    reject(method, argument, value, `a model (an object with ${members.map((m) => `${m}()`).join(' and ')})`);
  }
  for (const m of members) {
    if (typeof (value as Record<string, unknown>)[m] !== 'function') {
      reject(method, argument, value, `a model with a ${m}() method (it has none)`);
    }
  }
}

/**
 * Checks that data is an array or an (async) iterable of records (not a string, not null).
 *
 * @example
 * ```ts
 * requireRecords('DPOTrainer.huan_luyen', 'preference_data', pairs);
 * ```
 */
export function requireRecords(method: string, argument: string, value: unknown): void {
  const ok =
    typeof value === 'object' &&
    value !== null &&
    (Array.isArray(value) ||
      typeof (value as Record<symbol, unknown>)[Symbol.iterator] === 'function' ||
      typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function');
  if (!ok) reject(method, argument, value, 'an array (or iterable) of records');
}

/**
 * Checks an optional callback: `null`, `undefined` or a function.
 *
 * @example
 * ```ts
 * requireCallback('SFTTrainer.huan_luyen', 'callback', cb);
 * ```
 */
export function requireCallback(method: string, argument: string, value: unknown): void {
  if (value !== null && value !== undefined && typeof value !== 'function') {
    reject(method, argument, value, 'a function, or null');
  }
}

/**
 * Checks an optional tokenizer: `null`, `undefined` or an object with `encode` and `decode` methods.
 *
 * @example
 * ```ts
 * requireTokenizer('SFTTrainer.huan_luyen', 'tokenizer', tok);
 * ```
 */
export function requireTokenizer(method: string, argument: string, value: unknown): void {
  if (value === null || value === undefined) return;
  const t = value as Record<string, unknown>;
  if (typeof value !== 'object' || typeof t.encode !== 'function' || typeof t.decode !== 'function') {
    reject(method, argument, value, 'a Tokenizer (with encode() and decode()), or null');
  }
}
