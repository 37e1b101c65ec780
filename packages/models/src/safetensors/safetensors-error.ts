import { RlhfError } from '@rlhf/core';

/**
 * What is wrong with a safetensors file (the `code` of a {@link SafetensorsError}).
 *
 * - `SAFETENSORS_TRUNCATED`: shorter than the 8-byte header length.
 * - `SAFETENSORS_HEADER_LENGTH`: the header length is past the end of the file or above 100 MB.
 * - `SAFETENSORS_HEADER_ENCODING`: the header is not valid UTF-8.
 * - `SAFETENSORS_HEADER_JSON`: the header is not a JSON object.
 * - `SAFETENSORS_ENTRY`: an entry lacks `dtype` / `shape` / `data_offsets` or has the wrong types, or
 *   `__metadata__` is not a map of strings to strings.
 * - `SAFETENSORS_DTYPE`: a dtype this library cannot load (only F32, F16 and BF16 are read).
 * - `SAFETENSORS_SHAPE`: a shape that is not a list of non-negative integers.
 * - `SAFETENSORS_OFFSETS`: offsets that are not integers or run backwards.
 * - `SAFETENSORS_OUT_OF_BOUNDS`: a tensor ends past the end of the data section (a truncated file).
 * - `SAFETENSORS_SIZE_MISMATCH`: a tensor's byte range differs from shape × item size.
 * - `SAFETENSORS_OVERLAP`: two tensors share bytes.
 * - `SAFETENSORS_GAP`: bytes between tensors, or after the last one, that no tensor covers (the reference
 *   implementation rejects them too).
 * - `SAFETENSORS_INVALID_TENSOR`: a tensor given to the serialiser is invalid (name, shape or data length).
 *
 * @example
 * ```ts
 * if (SafetensorsError.isInstance(e) && e.code === 'SAFETENSORS_OUT_OF_BOUNDS') console.error('truncated download?');
 * ```
 */
export type SafetensorsErrorCode =
  | 'SAFETENSORS_TRUNCATED'
  | 'SAFETENSORS_HEADER_LENGTH'
  | 'SAFETENSORS_HEADER_ENCODING'
  | 'SAFETENSORS_HEADER_JSON'
  | 'SAFETENSORS_ENTRY'
  | 'SAFETENSORS_DTYPE'
  | 'SAFETENSORS_SHAPE'
  | 'SAFETENSORS_OFFSETS'
  | 'SAFETENSORS_OUT_OF_BOUNDS'
  | 'SAFETENSORS_SIZE_MISMATCH'
  | 'SAFETENSORS_OVERLAP'
  | 'SAFETENSORS_GAP'
  | 'SAFETENSORS_INVALID_TENSOR';

/**
 * A safetensors file (or a tensor map to serialise) is invalid. The message names the file and the problem.
 *
 * @example
 * ```ts
 * try {
 *   parseSafetensors(bytes, 'model.safetensors');
 * } catch (e) {
 *   if (SafetensorsError.isInstance(e)) console.error(e.code, e.fileName, e.message);
 * }
 * ```
 */
export class SafetensorsError extends RlhfError {
  declare readonly code: SafetensorsErrorCode;

  /** Builds the error from its code, the file and what is wrong in its bytes. */
  constructor(
    code: SafetensorsErrorCode,
    /** The file the bytes came from (`'<bytes>'` when the caller gave none). */
    readonly fileName: string,
    /** The problem, without the file name. */
    readonly detail: string,
  ) {
    super(code, `${fileName}: ${detail}`);
  }

  /**
   * True for a `SafetensorsError` from any copy of this package (checks the marker and the code).
   *
   * @example
   * ```ts
   * if (SafetensorsError.isInstance(e)) console.error(e.code);
   * ```
   */
  static override isInstance(error: unknown): error is SafetensorsError {
    return RlhfError.isInstance(error) && error.code.startsWith('SAFETENSORS_');
  }
}
