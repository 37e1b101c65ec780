import type { TensorData } from '@rlhf/core';

/**
 * How many live buffers of one backend hold each host array. Buffers share arrays (a reshape of a
 * materialised buffer is a view of the same values), so an array may be overwritten in place only when
 * its last holder is gone. Every array counted here was allocated by the backend itself (`write` copies
 * the caller's values), never handed in by a caller.
 *
 * @example
 * ```ts
 * const users = new DataUsers();
 * users.add(data); users.add(data); users.remove(data);
 * users.count(data); // 1
 * ```
 */
export class DataUsers {
  private readonly counts = new WeakMap<TensorData, number>();

  /** One more live buffer holds `data`. */
  add(data: TensorData): void {
    this.counts.set(data, (this.counts.get(data) ?? 0) + 1);
  }

  /** A buffer holding `data` was disposed. */
  remove(data: TensorData): void {
    const n = this.counts.get(data);
    if (n !== undefined) this.counts.set(data, Math.max(0, n - 1));
  }

  /** Live buffers holding `data` (0 for an array never counted). */
  count(data: TensorData): number {
    return this.counts.get(data) ?? 0;
  }

  /** Whether `data` was allocated by the backend and no live buffer holds it any more. */
  isFree(data: TensorData): boolean {
    return this.counts.get(data) === 0;
  }
}
