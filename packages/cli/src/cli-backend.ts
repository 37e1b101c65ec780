import { backendNames, type TensorBackend, toBackend, UnknownBackendError } from '@rlhf/core';

/**
 * The backend a command runs on: the named one, or the fastest installed. The name comes from the command
 * line or a config file, so it is only a name: it must be a known or registered backend (see
 * `resolveBackend`), never a path, a URL or an object. Backend packages are imported from the CLI's own
 * location, where its dependencies (and the packages installed beside it) resolve; only the fixed package
 * specifiers of the backend table ever reach `import()`.
 *
 * @example
 * ```ts
 * const backend = await cliBackend('js');
 * ```
 */
export function cliBackend(name?: unknown): Promise<TensorBackend> {
  if (name !== undefined && typeof name !== 'string') {
    return Promise.reject(
      new UnknownBackendError(JSON.stringify(name) ?? String(name), backendNames(), 'is not a backend name (a string)'),
    );
  }
  return toBackend(name, (specifier) => import(specifier) as Promise<Record<string, unknown>>);
}
