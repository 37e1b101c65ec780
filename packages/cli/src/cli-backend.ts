import { type TensorBackend, toBackend } from '@rlhf/core';

/**
 * The backend a command runs on: the named one, or the fastest installed. Backend packages are imported
 * from the CLI's own location, where its dependencies (and the packages installed beside it) resolve.
 *
 * @example
 * ```ts
 * const backend = await cliBackend('js');
 * ```
 */
export function cliBackend(name?: string): Promise<TensorBackend> {
  return toBackend(name, (specifier) => import(specifier) as Promise<Record<string, unknown>>);
}
