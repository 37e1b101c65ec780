import { RlhfError } from '@rlhf/core';

/**
 * What is wrong with a llama2.c file (the `code` of a {@link Llama2cFormatError}).
 *
 * - `LLAMA2C_TRUNCATED`: shorter than its fixed-size header.
 * - `LLAMA2C_HEADER`: header values that describe no valid model (non-positive sizes, heads that do not
 *   divide the width, ...).
 * - `LLAMA2C_UNSUPPORTED_VERSION`: a newer llama2.c export (magic "ak42"); only the legacy format is read.
 * - `LLAMA2C_SIZE_MISMATCH`: the file length differs from what the header implies.
 * - `LLAMA2C_TOKENIZER`: a malformed tokenizer `.bin`, or one that is not a sentencepiece byte-fallback vocabulary.
 * - `LLAMA2C_VOCAB_MISMATCH`: the tokenizer's size differs from the checkpoint's `vocab_size`.
 *
 * @example
 * ```ts
 * if (Llama2cFormatError.isInstance(e) && e.code === 'LLAMA2C_SIZE_MISMATCH') console.error(e.message);
 * ```
 */
export type Llama2cErrorCode =
  | 'LLAMA2C_TRUNCATED'
  | 'LLAMA2C_HEADER'
  | 'LLAMA2C_UNSUPPORTED_VERSION'
  | 'LLAMA2C_SIZE_MISMATCH'
  | 'LLAMA2C_TOKENIZER'
  | 'LLAMA2C_VOCAB_MISMATCH';

/**
 * A llama2.c checkpoint or tokenizer file is invalid. The message names the file and the problem.
 *
 * @example
 * ```ts
 * try {
 *   readLlama2cCheckpoint(bytes, 'stories260K.bin');
 * } catch (e) {
 *   if (Llama2cFormatError.isInstance(e)) console.error(e.code, e.message);
 * }
 * ```
 */
export class Llama2cFormatError extends RlhfError {
  declare readonly code: Llama2cErrorCode;

  /** Builds the error from its code, the file and the problem found in its bytes. */
  constructor(
    code: Llama2cErrorCode,
    /** The file the bytes came from. */
    readonly fileName: string,
    /** The problem, without the file name. */
    readonly detail: string,
  ) {
    super(code, `${fileName}: ${detail}`);
  }

  /**
   * True for a `Llama2cFormatError` from any copy of this package.
   *
   * @example
   * ```ts
   * if (Llama2cFormatError.isInstance(e)) console.error(e.fileName);
   * ```
   */
  static override isInstance(error: unknown): error is Llama2cFormatError {
    return RlhfError.isInstance(error) && error.code.startsWith('LLAMA2C_');
  }
}
