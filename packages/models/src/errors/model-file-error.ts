import { RlhfError } from '@rlhf/core';

/**
 * What is wrong with a file of a model directory (the `code` of a {@link ModelFileError}).
 *
 * - `MODEL_FILE_MISSING`: the file does not exist.
 * - `MODEL_FILE_INVALID_JSON`: a `.json` file that does not parse, or is not a JSON object.
 *
 * @example
 * ```ts
 * if (ModelFileError.isInstance(e) && e.code === 'MODEL_FILE_MISSING') console.error(e.path);
 * ```
 */
export type ModelFileErrorCode = 'MODEL_FILE_MISSING' | 'MODEL_FILE_INVALID_JSON';

/**
 * A file of a model directory is missing or unreadable. `path` names the file; the message says what it
 * was needed for.
 *
 * @example
 * ```ts
 * try {
 *   await loadTokenizer('./my-model');
 * } catch (e) {
 *   if (ModelFileError.isInstance(e) && e.code === 'MODEL_FILE_MISSING') console.error(`missing: ${e.path}`);
 * }
 * ```
 */
export class ModelFileError extends RlhfError {
  declare readonly code: ModelFileErrorCode;

  /** Builds the error from its code, the file's path and a message naming what is wrong. */
  constructor(
    code: ModelFileErrorCode,
    /** The file's path. */
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }

  /**
   * True for a `ModelFileError` from any copy of this package.
   *
   * @example
   * ```ts
   * if (ModelFileError.isInstance(e)) console.error(e.path);
   * ```
   */
  static override isInstance(error: unknown): error is ModelFileError {
    return RlhfError.isInstance(error) && error.code.startsWith('MODEL_FILE_');
  }
}
