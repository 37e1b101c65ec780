import { RlhfError } from '../errors/rlhf-error.js';

/**
 * A training or validation record is unusable: unknown shape, missing key, no target token, an empty
 * dataset. The message names the dataset, the record's index (0-based) and the key at fault; the same
 * values are fields, so a command-line tool can map the index back to a file line.
 *
 * @example
 * ```ts
 * throw new TrainingDataError('du_lieu_train', 3, 'messages', 'has no assistant turn');
 * // du_lieu_train[3].messages has no assistant turn.
 * throw new TrainingDataError('du_lieu_train', null, null, 'is empty');
 * // du_lieu_train is empty.
 * ```
 */
export class TrainingDataError extends RlhfError {
  /** Builds the error from the dataset, the record index and key, and what is wrong. */
  constructor(
    /** Which dataset: `'du_lieu_train'`, `'du_lieu_val'`, `'preference_data'`, ... */
    readonly dataset: string,
    /** 0-based index of the record, or `null` for the dataset as a whole. */
    readonly index: number | null,
    /** The key of the record at fault, or `null` for the record as a whole. */
    readonly key: string | null,
    /** What is wrong, as a phrase that completes the sentence. */
    readonly reason: string,
  ) {
    const where = `${dataset}${index === null ? '' : `[${index}]`}${key === null ? '' : `.${key}`}`;
    super('TRAINING_DATA_INVALID', `${where} ${reason}.`);
  }
}
