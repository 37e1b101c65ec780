import { RewardInputError } from '../errors/reward-errors.js';

/**
 * Checks the texts given to `diem_danh_gia`: a non-empty array of strings. Throws {@link RewardInputError}
 * naming `cac_van_ban` and, for a bad element, its index and type.
 *
 * @example
 * ```ts
 * validateTexts(['a', 'b']); // ['a', 'b']
 * validateTexts([]); // throws: cac_van_ban must hold at least one text.
 * ```
 */
export function validateTexts(texts: unknown, argument = 'cac_van_ban'): string[] {
  if (!Array.isArray(texts)) {
    throw new RewardInputError(argument, `must be an array of strings, got ${texts === null ? 'null' : typeof texts}`);
  }
  if (texts.length === 0)
    throw new RewardInputError(argument, 'must hold at least one text (got an empty list)', 'EMPTY_INPUT');
  texts.forEach((t, i) => {
    if (typeof t !== 'string') {
      throw new RewardInputError(
        argument,
        `must be a string, got ${t === null ? 'null' : Array.isArray(t) ? 'an array' : typeof t}`,
        'INVALID_INPUT',
        i,
      );
    }
  });
  return texts as string[];
}
