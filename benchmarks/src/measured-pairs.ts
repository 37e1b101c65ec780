/** A measured figure, as the harness records it (structural subset of its result type). */
export interface Measured {
  benchmark: string;
  backend: string;
  value: number;
  metric: string;
  params: Record<string, number | string | boolean>;
}

/**
 * Every result of another backend paired with the `reference` backend's result of the same benchmark and
 * metric (`exclude`d backends left out), in the order of the reference results.
 *
 * @example
 * ```ts
 * for (const { ours, reference } of pairsWith(report.results, 'pytorch')) console.log(ours.value / reference.value);
 * ```
 */
export function pairsWith(
  results: readonly Measured[],
  reference: string,
  exclude: readonly string[] = [],
): { ours: Measured; reference: Measured }[] {
  const skip = new Set([reference, ...exclude]);
  return results
    .filter((r) => r.backend === reference)
    .flatMap((ref) =>
      results
        .filter((r) => r.benchmark === ref.benchmark && r.metric === ref.metric && !skip.has(r.backend))
        .map((ours) => ({ ours, reference: ref })),
    );
}

/**
 * The entries of `fields` whose value is defined (for optional properties, which may be absent but not
 * `undefined`).
 *
 * @example
 * ```ts
 * definedFields({ a: 1, b: undefined }); // { a: 1 }
 * ```
 */
export function definedFields<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A numeric detail of a result, or undefined. */
export function numberParam(m: Measured, key: string): number | undefined {
  const v = m.params[key];
  return typeof v === 'number' ? v : undefined;
}

/** A text detail of a result, or undefined. */
export function stringParam(m: Measured, key: string): string | undefined {
  const v = m.params[key];
  return typeof v === 'string' ? v : undefined;
}
