import { TrainingDataError } from '@rlhf/core';

/**
 * What is wrong with preference data (the `kind` of a {@link PreferenceDataError}).
 *
 * - `PREFERENCE_RECORD_INVALID`: a record fits none of the accepted layouts, or a field has the wrong type.
 * - `PREFERENCE_EMPTY_RESPONSE`: `chosen` or `rejected` is empty (or only whitespace, or no tokens).
 * - `PREFERENCE_DATA_EMPTY`: there are no records at all, or the file cannot be read.
 * - `PREFERENCE_NO_TOKENIZER`: text records, but neither a tokenizer nor one carried by the model.
 * - `PREFERENCE_NO_CHAT_TEMPLATE`: a conversational record, but the tokenizer has no chat template.
 * - `PREFERENCE_TOKENIZER_MISMATCH`: the tokenizer (or a pre-tokenised record) uses ids the model does not have.
 */
export type PreferenceDataErrorKind =
  | 'PREFERENCE_RECORD_INVALID'
  | 'PREFERENCE_EMPTY_RESPONSE'
  | 'PREFERENCE_DATA_EMPTY'
  | 'PREFERENCE_NO_TOKENIZER'
  | 'PREFERENCE_NO_CHAT_TEMPLATE'
  | 'PREFERENCE_TOKENIZER_MISMATCH';

/**
 * Preference data cannot be used: core's {@link TrainingDataError} for the dataset `preference_data`
 * (code `TRAINING_DATA_INVALID`, so every trainer's data errors are handled alike), naming the record's
 * index and key, with a finer {@link PreferenceDataErrorKind}.
 *
 * @example
 * ```ts
 * throw new PreferenceDataError('PREFERENCE_EMPTY_RESPONSE', 17, 'rejected', 'is empty');
 * // message: "preference_data[17].rejected is empty."
 * ```
 */
export class PreferenceDataError extends TrainingDataError {
  /** Builds the error from its kind, the record index and key, and what is wrong. */
  constructor(
    /** What kind of problem it is. */
    readonly kind: PreferenceDataErrorKind,
    index: number | null,
    key: string | null,
    reason: string,
  ) {
    super('preference_data', index, key, reason);
  }

  /**
   * True for a `PreferenceDataError` from any copy of this package.
   *
   * @example
   * ```ts
   * if (PreferenceDataError.isInstance(e)) console.error(e.kind, e.index, e.message);
   * ```
   */
  static override isInstance(error: unknown): error is PreferenceDataError {
    if (!TrainingDataError.isInstance(error)) return false;
    const kind = (error as unknown as { kind?: unknown }).kind;
    return typeof kind === 'string' && kind.startsWith('PREFERENCE_');
  }
}
