import { BACKEND_PREFERENCE, backendNames, type TensorBackend, toBackend, UnknownBackendError } from '@rlhf/core';

/** The backend to suggest when a slower one was the fastest installed: the fastest on a CPU in Node. */
const FASTER_CPU_BACKEND = { name: 'onnxruntime', package: '@rlhf/backend-onnxruntime' } as const;

/**
 * The one line the CLI writes (on stderr, never into `--json` output) when no backend was named: which
 * backend it chose — the fastest installed — and, when that is not ONNX Runtime, how to add the faster one.
 * `@rlhf/cli` depends only on `@rlhf/backend-js`; the other backends are optional peer packages.
 *
 * @example
 * ```ts
 * defaultBackendNotice('js'); // 'rlhf: using backend js, the fastest installed; for faster training on CPU …'
 * ```
 */
export function defaultBackendNotice(used: string): string {
  const rank = BACKEND_PREFERENCE.indexOf(used as (typeof BACKEND_PREFERENCE)[number]);
  const fasterMissing = rank < 0 || rank > BACKEND_PREFERENCE.indexOf(FASTER_CPU_BACKEND.name);
  return fasterMissing
    ? `rlhf: using backend ${used}, the fastest installed; for a faster one on CPU, install ${FASTER_CPU_BACKEND.package} beside @rlhf/cli (npm install ${FASTER_CPU_BACKEND.package}) or choose one with --backend NAME.`
    : `rlhf: using backend ${used}, the fastest installed (--backend NAME chooses another).`;
}

/** Where {@link cliBackend} writes its notice: a function taking one line (no newline). */
export type BackendNotice = (line: string) => void;

/**
 * The backend a command runs on: the named one, or the fastest installed (then one line says which, see
 * {@link defaultBackendNotice}). The name comes from the command line or a config file, so it is only a
 * name: it must be a known or registered backend (see `resolveBackend`), never a path, a URL or an object.
 * Backend packages are imported from the CLI's own location, where its dependencies (and the packages
 * installed beside it) resolve; only the fixed package specifiers of the backend table ever reach `import()`.
 *
 * @example
 * ```ts
 * const backend = await cliBackend('js');
 * ```
 */
export async function cliBackend(
  name?: unknown,
  notice: BackendNotice = (line) => process.stderr.write(`${line}\n`),
): Promise<TensorBackend> {
  if (name !== undefined && typeof name !== 'string') {
    throw new UnknownBackendError(
      JSON.stringify(name) ?? String(name),
      backendNames(),
      'is not a backend name (a string)',
    );
  }
  const backend = await toBackend(name, (specifier) => import(specifier) as Promise<Record<string, unknown>>);
  if (name === undefined) notice(defaultBackendNotice(backend.name));
  return backend;
}
