import { RlhfError } from '../errors/rlhf-error.js';
import type { TensorBackend } from './backend-spec.js';

/**
 * The backends this project ships, by name → the package that provides each. A backend name given as a
 * string (on the command line, in a config file, to the API) is only ever looked up in this table or among
 * {@link registerBackend} registrations: it never becomes an import path itself.
 */
export const KNOWN_BACKENDS: Readonly<Record<string, string>> = Object.freeze({
  js: '@rlhf/backend-js',
  onnxruntime: '@rlhf/backend-onnxruntime',
  tfjs: '@rlhf/backend-tfjs',
  webgpu: '@rlhf/backend-webgpu',
});

/** Makes a backend instance (a package's `createBackend`). */
export type BackendFactory = () => TensorBackend | Promise<TensorBackend>;

/** The shape every backend name must have: lowercase letters, digits and `-`, 1–32 characters. */
const NAME_SHAPE = /^[a-z][a-z0-9-]{0,31}$/;

const registered = new Map<string, BackendFactory>();

/**
 * A backend name that is neither a known backend nor a registered one, or that is not a name at all (a
 * path, a URL). The message lists the names that are accepted.
 *
 * @example
 * ```ts
 * try { await resolveBackend('../x.js'); } catch (e) { if (e instanceof UnknownBackendError) console.error(e.known); }
 * ```
 */
export class UnknownBackendError extends RlhfError {
  /** Builds the error from the name asked for and the names that are accepted. */
  constructor(
    /** The name that was asked for. */
    readonly backendName: string,
    /** The accepted names (known and registered). */
    readonly known: readonly string[],
    reason = 'is not a known backend',
  ) {
    super(
      'UNKNOWN_BACKEND',
      `Backend ${JSON.stringify(backendName).slice(0, 200)} ${reason}; ${
        known.length > 0
          ? `expected one of: ${known.join(', ')}`
          : 'no backend is available here (import @rlhf/backend-js or @rlhf/backend-webgpu: each registers itself)'
      }.`,
    );
  }
}

/**
 * Whether this runtime can import a backend package by its name at run time (Node can; a browser bundle
 * cannot: there, only the backends the bundle imported, which registered themselves, exist).
 */
export function canImportBackendPackages(): boolean {
  return typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string';
}

/**
 * Every backend name that can be resolved here: in Node, the known table then registrations, each once; in
 * a browser bundle, the registrations only (the backend packages the bundle imported).
 */
export function backendNames(): string[] {
  if (!canImportBackendPackages()) return [...registered.keys()];
  return [...new Set([...Object.keys(KNOWN_BACKENDS), ...registered.keys()])];
}

/**
 * Registers a backend under a name so that `resolveBackend(name)` (and `--backend name`, `"backend": name`)
 * finds it without importing anything. A backend package calls it on import (the way a browser bundle makes
 * its backends available, where packages cannot be imported by name at run time); an application may also
 * call it for its own backend. A registration takes precedence over the package table for that name.
 *
 * @throws {@link UnknownBackendError} when `name` is not 1–32 characters of `a-z`, `0-9`, `-` starting
 * with a letter.
 *
 * @example
 * ```ts
 * registerBackend('js', () => createJsBackend());
 * ```
 */
export function registerBackend(name: string, factory: BackendFactory): void {
  if (typeof name !== 'string' || !NAME_SHAPE.test(name)) {
    throw new UnknownBackendError(String(name), backendNames(), 'is not a valid backend name (a-z, 0-9, -)');
  }
  if (typeof factory !== 'function') {
    throw new UnknownBackendError(name, backendNames(), 'was registered without a factory function');
  }
  registered.set(name, factory);
}

/** The registered factory for a name, if any. */
export function registeredBackend(name: string): BackendFactory | undefined {
  return registered.get(name);
}

/**
 * Checks a backend name (shape, then membership in the table or the registrations) and returns the
 * package specifier to import for it, or `null` when a registration provides it.
 *
 * @throws {@link UnknownBackendError} for anything else (paths, URLs, unknown names).
 *
 * @example
 * ```ts
 * backendSpecifier('js'); // '@rlhf/backend-js'
 * ```
 */
export function backendSpecifier(name: unknown): string | null {
  if (typeof name !== 'string') {
    throw new UnknownBackendError(String(name), backendNames(), 'is not a backend name (a string)');
  }
  if (!NAME_SHAPE.test(name)) {
    throw new UnknownBackendError(name, backendNames(), 'is not a valid backend name (not a path or URL)');
  }
  if (registered.has(name)) return null;
  // In a bundle, a known name that the bundle did not import is as absent as an unknown one.
  if (!canImportBackendPackages() && Object.hasOwn(KNOWN_BACKENDS, name)) {
    throw new UnknownBackendError(
      name,
      backendNames(),
      `is not in this bundle (import ${KNOWN_BACKENDS[name]}: it registers itself)`,
    );
  }
  const specifier = Object.hasOwn(KNOWN_BACKENDS, name) ? KNOWN_BACKENDS[name] : undefined;
  if (specifier === undefined) throw new UnknownBackendError(name, backendNames());
  return specifier;
}
