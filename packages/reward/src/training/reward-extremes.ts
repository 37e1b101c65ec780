import { concat, keep, max, min, noGrad, type Tensor } from '@rlhf/core';

/** The smallest and largest reward of a logging window. */
export interface RewardRange {
  /** Smallest reward. */
  min: number;
  /** Largest reward. */
  max: number;
}

/**
 * The smallest and largest reward seen since the last train record. The shared loop logs task metrics as
 * means per pair; extremes are not means, so the reward task keeps each training micro-batch's min and max
 * (two device scalars, off the tape) here and the trainer reads them when it receives the train record.
 *
 * @example
 * ```ts
 * const extremes = new RewardExtremes();
 * extremes.add(scores); // (2B) rewards of a micro-batch
 * await extremes.drain(); // { min: -1.2, max: 0.8 }
 * ```
 */
export class RewardExtremes {
  private pending: Tensor[] = [];

  /** Records the min and max of a micro-batch's rewards (any shape). */
  add(rewards: Tensor): void {
    noGrad(() => {
      this.pending.push(keep(concat([min(rewards, undefined, true), max(rewards, undefined, true)], 0)));
    });
  }

  /** Min and max over everything added since the last drain (`null` when nothing was), freeing the tensors. */
  async drain(): Promise<RewardRange | null> {
    const taken = this.pending;
    this.pending = [];
    if (taken.length === 0) return null;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const t of taken) {
      const [a, b] = (await t.data()) as Float32Array;
      t.dispose();
      lo = Math.min(lo, a as number);
      hi = Math.max(hi, b as number);
    }
    return { min: lo, max: hi };
  }

  /** Frees whatever was not drained. */
  dispose(): void {
    for (const t of this.pending) t.dispose();
    this.pending = [];
  }
}
