/**
 * Characters one token covers at most, for {@link boundText}. Token strings of the BPE and SentencePiece
 * vocabularies we load are far shorter (GPT-2's longest are runs of 64–128 repeated symbols); a token
 * never covers fewer than 0 characters, so a text of `n` characters has at least `n / 128` tokens.
 */
export const MAX_CHARS_PER_TOKEN = 128;

/**
 * Cuts a text that is certainly longer than `maxTokens` tokens down to `(maxTokens + 8) × 128` characters
 * before it is tokenised, keeping its start (responses, SFT text) or its end (prompts, whose end is kept
 * on truncation), so that the cost of tokenising a huge record (a 10 MB line) is bounded by
 * `max_seq_length`, not by the text. Since every token covers at most {@link MAX_CHARS_PER_TOKEN}
 * characters, the cut text still has more than `maxTokens` tokens: the record is truncated exactly as
 * before, and the kept tokens are the same except possibly the few next to the cut. Shorter texts are
 * returned unchanged.
 *
 * @example
 * ```ts
 * boundText('x'.repeat(10_000_000), 512).length; // 66560
 * ```
 */
export function boundText(text: string, maxTokens: number, keep: 'start' | 'end' = 'start'): string {
  const limit = (Math.max(0, maxTokens) + 8) * MAX_CHARS_PER_TOKEN;
  if (text.length <= limit) return text;
  return keep === 'start' ? text.slice(0, limit) : text.slice(text.length - limit);
}
