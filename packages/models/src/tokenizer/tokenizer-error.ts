import { RlhfError } from '@rlhf/core';

/**
 * What went wrong with a tokenizer (the `code` of a {@link TokenizerError}).
 *
 * - `TOKENIZER_INVALID`: `tokenizer.json` / `tokenizer_config.json` is malformed or uses a component the
 *   tokenizer library does not support.
 * - `TOKENIZER_INVALID_ID`: `decode` got an id that is not an integer in `0..vocabSize-1`.
 * - `TOKENIZER_NO_CHAT_TEMPLATE`: `applyChatTemplate` on a tokenizer without (that) chat template.
 * - `TOKENIZER_CHAT_TEMPLATE`: the chat template failed to parse or render (including its own
 *   `raise_exception`).
 * - `TOKENIZER_CHAT_TEMPLATE_LIMIT`: the chat template passed a bound of its rendering (steps, `range()`
 *   length, nesting depth, value length, template length).
 * - `TOKENIZER_REGEX_UNSAFE`: a pre-tokenizer / normalizer regex could backtrack catastrophically (nested
 *   unbounded quantifiers, or alternatives that overlap under a quantifier), refused at load.
 * - `TOKENIZER_VOCAB_MISMATCH`: the tokenizer's ids (or a special-token id) do not fit the model's vocabulary.
 *
 * @example
 * ```ts
 * if (TokenizerError.isInstance(e) && e.code === 'TOKENIZER_INVALID_ID') console.error(e.message);
 * ```
 */
export type TokenizerErrorCode =
  | 'TOKENIZER_INVALID'
  | 'TOKENIZER_INVALID_ID'
  | 'TOKENIZER_NO_CHAT_TEMPLATE'
  | 'TOKENIZER_CHAT_TEMPLATE'
  | 'TOKENIZER_CHAT_TEMPLATE_LIMIT'
  | 'TOKENIZER_REGEX_UNSAFE'
  | 'TOKENIZER_VOCAB_MISMATCH';

/**
 * A tokenizer could not be built or used.
 *
 * @example
 * ```ts
 * try {
 *   tokenizer.applyChatTemplate(messages);
 * } catch (e) {
 *   if (TokenizerError.isInstance(e) && e.code === 'TOKENIZER_NO_CHAT_TEMPLATE') useFallbackFormat();
 * }
 * ```
 */
export class TokenizerError extends RlhfError {
  declare readonly code: TokenizerErrorCode;

  /** Builds the error from its code and a message naming the tokenizer file or input at fault. */
  constructor(code: TokenizerErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }

  /**
   * True for a `TokenizerError` from any copy of this package.
   *
   * @example
   * ```ts
   * if (TokenizerError.isInstance(e)) console.error(e.code);
   * ```
   */
  static override isInstance(error: unknown): error is TokenizerError {
    return RlhfError.isInstance(error) && error.code.startsWith('TOKENIZER_');
  }
}
