/**
 * The label value of tokens without loss (PyTorch's and Hugging Face's ignore index).
 *
 * @example
 * ```ts
 * const labels = ids.map((id, i) => (i < promptLength ? IGNORE_INDEX : id));
 * ```
 */
export const IGNORE_INDEX = -100;

/**
 * One training sequence, tokenised: inputs and next-token targets of equal length (`targets[t]` is the
 * token to predict after `input_ids[0..t]`, −100 where there is no loss). A packed sequence also has
 * per-token positions (restarting at each example) and segment numbers (which example a token is from).
 */
export interface SFTExample {
  /** Input token ids. */
  input_ids: number[];
  /** Next-token targets, same length (−100: no loss). */
  targets: number[];
  /** Rotary / learned positions; `null` means 0, 1, 2, ... */
  positions: number[] | null;
  /** Example number of each token within a packed sequence; `null` for a single example. */
  segments: number[] | null;
}

/**
 * Next-token targets from Hugging Face-style labels (aligned with the inputs; the model shifts):
 * `targets[t] = labels[t + 1]`, and the last position has no target.
 *
 * @example
 * ```ts
 * targetsFromLabels([-100, 5, 6]); // [5, 6, -100]
 * ```
 */
export function targetsFromLabels(labels: readonly number[]): number[] {
  const out = labels.slice(1);
  out.push(IGNORE_INDEX);
  return out;
}

/**
 * Number of tokens that carry loss.
 *
 * @example
 * ```ts
 * countTargets([5, -100, 6]); // 2
 * ```
 */
export function countTargets(targets: readonly number[]): number {
  let n = 0;
  for (const t of targets) if (t !== IGNORE_INDEX) n++;
  return n;
}

/**
 * Length of the longest common prefix of two token lists: where a rendered prefix of a text stops
 * agreeing with the tokenisation of the whole text.
 *
 * @example
 * ```ts
 * commonPrefixLength([1, 2, 3], [1, 2, 4, 5]); // 2
 * ```
 */
export function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}
