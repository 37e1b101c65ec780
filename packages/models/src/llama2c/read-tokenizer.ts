import { decodeUtf8Strict } from '../utils/utf8.js';
import { Llama2cFormatError } from './llama2c-error.js';

/**
 * A llama2.c tokenizer: pieces (with real spaces, as llama2.c stores them) and their merge scores.
 *
 * @example
 * ```ts
 * const { pieces, scores }: Llama2cTokenizer = readLlama2cTokenizer(bytes);
 * ```
 */
export interface Llama2cTokenizer {
  /** The header's `max_token_length`. */
  maxTokenLength: number;
  /** Piece of each id (`'\n<s>\n'` for BOS as llama2.c writes it, `' the'` with a real space). */
  pieces: string[];
  /** Score of each id; a higher score merges earlier. */
  scores: number[];
}

/**
 * Reads a llama2.c tokenizer `.bin` (`int32 max_token_length`, then per token `float32 score`,
 * `int32 length`, `length` UTF-8 bytes) up to the end of the file. Bounds are checked for every record;
 * a malformed file throws a {@link Llama2cFormatError} naming the file and the token.
 *
 * @example
 * ```ts
 * const { pieces, scores } = readLlama2cTokenizer(bytes, 'tok512.bin');
 * pieces[259]; // ' t'
 * ```
 */
export function readLlama2cTokenizer(bytes: Uint8Array, fileName = 'tokenizer.bin'): Llama2cTokenizer {
  const fail = (detail: string): never => {
    throw new Llama2cFormatError('LLAMA2C_TOKENIZER', fileName, detail);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4) fail(`file is ${bytes.length} bytes long; it starts with an int32 max_token_length`);
  const maxTokenLength = view.getInt32(0, true);
  if (maxTokenLength <= 0) fail(`max_token_length = ${maxTokenLength} must be positive`);

  const pieces: string[] = [];
  const scores: number[] = [];
  let offset = 4;
  while (offset < bytes.length) {
    const id = pieces.length;
    if (offset + 8 > bytes.length) fail(`token ${id}: record header cut off at byte ${offset} of ${bytes.length}`);
    const score = view.getFloat32(offset, true);
    const length = view.getInt32(offset + 4, true);
    if (length < 0 || length > maxTokenLength) {
      fail(`token ${id}: length ${length} is outside 0..max_token_length (${maxTokenLength})`);
    }
    if (offset + 8 + length > bytes.length) fail(`token ${id}: its ${length} bytes run past the end of the file`);
    const piece = decodeUtf8Strict(bytes.subarray(offset + 8, offset + 8 + length));
    if (piece === undefined) fail(`token ${id}: piece is not valid UTF-8`);
    pieces.push(piece as string);
    scores.push(score);
    offset += 8 + length;
  }
  return { maxTokenLength, pieces, scores };
}
