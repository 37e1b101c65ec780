import { add, concat, div, keep, mean, noGrad, scalar, sub, type Tensor, type TensorBackend } from '@rlhf/core';
import type { DpoLossState } from './dpo-loss.js';

/**
 * `bco_pair`'s reward shift δ: the running mean of each micro-batch's mean implicit reward, updated with the
 * current micro-batch before it is read (TRL's `RunningMoments.update` on one value per micro-batch:
 * `δ_n = δ_{n−1} + (m_n − δ_{n−1}) / n`, so δ_n is the mean of m_1 … m_n). The mean lives on the device as a
 * float32 scalar (no host read in the loss); `save()` reads it for the checkpoint and `restore()` puts the
 * same float32 back, so a resumed run continues bit for bit.
 *
 * @example
 * ```ts
 * const running = new RewardRunningMean(backend);
 * const delta = running.update(chosenRewards, rejectedRewards); // scalar, off the tape
 * ```
 */
export class RewardRunningMean implements DpoLossState {
  private value: Tensor | null = null;
  private count = 0;

  constructor(private readonly backend: TensorBackend) {}

  /**
   * Adds the micro-batch's mean reward `m = mean([β·c_c; β·c_r])` (2B values) and returns the new δ, a
   * scalar off the tape (kept: owned by this object until the next update or `dispose`).
   */
  update(chosenRewards: Tensor, rejectedRewards: Tensor): Tensor {
    const next = noGrad(() => {
      const batchMean = mean(concat([chosenRewards, rejectedRewards], 0)); // m, scalar
      const previous = this.value ?? scalar(this.backend, 0);
      return add(previous, div(sub(batchMean, previous), this.count + 1)); // δ_{n−1} + (m − δ_{n−1}) / n
    });
    this.value?.dispose();
    this.value = keep(next);
    this.count++;
    return next;
  }

  /** `{ mean, count }`: δ (0 before any update) and the micro-batches seen. */
  async save(): Promise<Record<string, number>> {
    return { mean: this.value ? await this.value.item() : 0, count: this.count };
  }

  /** Puts `{ mean, count }` back (`null`: a fresh state). */
  restore(saved: Record<string, number> | null): void {
    this.dispose();
    if (saved === null || !(typeof saved.count === 'number' && saved.count > 0)) return;
    this.value = keep(scalar(this.backend, saved.mean as number));
    this.count = saved.count;
  }

  /** Frees δ; the state is fresh again. */
  dispose(): void {
    this.value?.dispose();
    this.value = null;
    this.count = 0;
  }
}
