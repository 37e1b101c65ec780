import { TrainingDataError } from '@rlhf/core';

/**
 * What is wrong with KTO data (the `kind` of a {@link KtoDataError}).
 *
 * - `KTO_RECORD_INVALID`: a record is not an object, lacks `prompt` / `completion`, or a field has the wrong type.
 * - `KTO_LABEL_INVALID`: `label` is missing or not a boolean (`true` = desirable, `false` = undesirable).
 * - `KTO_EMPTY_COMPLETION`: the completion is empty (or only whitespace, or no tokens).
 * - `KTO_DATA_EMPTY`: there are no records at all.
 * - `KTO_NO_TOKENIZER`: text records, but neither a tokenizer nor one carried by the model.
 * - `KTO_NO_CHAT_TEMPLATE`: a conversational record, but the tokenizer has no chat template.
 * - `KTO_TOKENIZER_MISMATCH`: the tokenizer (or a pre-tokenised record) uses ids the model does not have.
 */
export type KtoDataErrorKind =
  | 'KTO_RECORD_INVALID'
  | 'KTO_LABEL_INVALID'
  | 'KTO_EMPTY_COMPLETION'
  | 'KTO_DATA_EMPTY'
  | 'KTO_NO_TOKENIZER'
  | 'KTO_NO_CHAT_TEMPLATE'
  | 'KTO_TOKENIZER_MISMATCH';

/**
 * Unpaired KTO data cannot be used: core's `TrainingDataError` for the dataset `kto_data` (code
 * `TRAINING_DATA_INVALID`, so every trainer's data errors are handled alike), naming the record's index and
 * key, with a finer {@link KtoDataErrorKind}.
 *
 * @example
 * ```ts
 * throw new KtoDataError('KTO_LABEL_INVALID', 3, 'label', 'must be a boolean (true = desirable), got the string "yes"');
 * // message: 'kto_data[3].label must be a boolean (true = desirable), got the string "yes".'
 * ```
 */
export class KtoDataError extends TrainingDataError {
  constructor(
    /** What kind of problem it is. */
    readonly kind: KtoDataErrorKind,
    index: number | null,
    key: string | null,
    reason: string,
  ) {
    super('kto_data', index, key, reason);
  }

  /**
   * True for a `KtoDataError` from any copy of this package.
   *
   * @example
   * ```ts
   * if (KtoDataError.isInstance(e)) console.error(e.kind, e.index, e.message);
   * ```
   */
  static override isInstance(error: unknown): error is KtoDataError {
    if (!TrainingDataError.isInstance(error)) return false;
    const kind = (error as unknown as { kind?: unknown }).kind;
    return typeof kind === 'string' && kind.startsWith('KTO_');
  }
}
