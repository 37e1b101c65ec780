/** Token ids of one pair after truncation, and what was cut. */
export interface TruncatedPair {
  /** Prompt token ids. */
  prompt: number[];
  /** Preferred response token ids. */
  chosen: number[];
  /** Dispreferred response token ids. */
  rejected: number[];
  /** Anything was cut. */
  truncated: boolean;
  /** The prompt itself was cut. */
  promptTruncated: boolean;
}

/** Limits of {@link truncatePair}. */
export interface TruncationLimits {
  /** Longest prompt + response (each of chosen and rejected). */
  maxLength: number;
  /** A prompt longer than this is cut (keeping its end) when the pair is too long; ≤ maxLength − 1. */
  maxPromptLength: number;
  /** Keep the first prompt token (BOS) when the prompt is cut from the front. @defaultValue true */
  keepFirstPromptToken?: boolean;
}

/**
 * Truncates a tokenised pair to at most `maxLength` tokens per sequence, as TRL's DPO does: nothing
 * happens when `prompt + longer response` fits; otherwise a prompt longer than `maxPromptLength` is cut to
 * it keeping its end (the part next to the response; its first token, BOS, is kept), and then both
 * responses are cut to the room left, keeping their start. A prompt that fits is kept whole.
 *
 * @example
 * ```ts
 * truncatePair([1, 5, 6], [7, 8, 9, 10], [11], { maxLength: 5, maxPromptLength: 3 });
 * // { prompt: [1, 5, 6], chosen: [7, 8], rejected: [11], truncated: true, promptTruncated: false }
 * ```
 */
export function truncatePair(
  prompt: readonly number[],
  chosen: readonly number[],
  rejected: readonly number[],
  { maxLength, maxPromptLength, keepFirstPromptToken = true }: TruncationLimits,
): TruncatedPair {
  const longest = Math.max(chosen.length, rejected.length);
  if (prompt.length + longest <= maxLength) {
    return {
      prompt: [...prompt],
      chosen: [...chosen],
      rejected: [...rejected],
      truncated: false,
      promptTruncated: false,
    };
  }
  let p = [...prompt];
  let promptTruncated = false;
  if (p.length > maxPromptLength) {
    const keepHead = keepFirstPromptToken && maxPromptLength > 1 ? 1 : 0;
    p = [...p.slice(0, keepHead), ...p.slice(p.length - (maxPromptLength - keepHead))];
    promptTruncated = true;
  }
  const room = maxLength - p.length;
  return {
    prompt: p,
    chosen: chosen.slice(0, room),
    rejected: rejected.slice(0, room),
    truncated: true,
    promptTruncated,
  };
}
