/**
 * A copy of a trainer history (or result) with its wall-clock fields set to 0 — `tokens_per_second` of
 * every record, `tong_thoi_gian` — so two runs can be compared exactly (`toEqual`); every other value,
 * the records' order and the columns are kept.
 *
 * @example
 * ```ts
 * expect(withoutWallClock(resumed.history)).toEqual(withoutWallClock(unbroken.history));
 * ```
 */
export function withoutWallClock<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => withoutWallClock(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === 'tokens_per_second' || k === 'tong_thoi_gian' ? 0 : withoutWallClock(v);
  }
  return out as T;
}
