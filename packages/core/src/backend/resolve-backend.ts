import { RlhfError } from '../errors/rlhf-error.js';
import {
  backendNames,
  backendSpecifier,
  KNOWN_BACKENDS,
  registeredBackend,
  UnknownBackendError,
} from './backend-registry.js';
import type { TensorBackend } from './backend-spec.js';

/**
 * The backend named in the config or on the command line is not installed.
 *
 * @example
 * ```ts
 * throw new BackendNotInstalledError('onnxruntime');
 * ```
 */
export class BackendNotInstalledError extends RlhfError {
  /** Builds the error from the backend name; the message names the package to install. */
  constructor(
    /** The backend name that was asked for (`'onnxruntime'` for `@rlhf/backend-onnxruntime`). */
    readonly backendName: string,
  ) {
    super(
      'BACKEND_NOT_INSTALLED',
      `Backend '${backendName}' is not installed: add the package ${KNOWN_BACKENDS[backendName] ?? `@rlhf/backend-${backendName}`}.`,
    );
  }
}

/** Backends tried, fastest first, when none is named. */
export const BACKEND_PREFERENCE = ['onnxruntime', 'webgpu', 'tfjs', 'js'] as const;

/**
 * Imports a package by name from the caller's location (`(s) => import(s)` written in the application or
 * CLI), so that backends installed beside the application resolve even where core cannot see them.
 */
export type BackendImporter = (specifier: string) => Promise<Record<string, unknown>>;

/** A backend object, or the name of an installed backend package. */
export type BackendChoice = TensorBackend | string;

/**
 * Resolves a backend by name: a name given to {@link registerBackend}, else one of {@link KNOWN_BACKENDS}
 * (`'js'`, `'tfjs'`, `'onnxruntime'`, `'webgpu'`), whose package is imported and its `createBackend()` (or
 * `create<Name>Backend()`) called; without a name, the fastest installed one. The same name always gives
 * the same instance, and the default is the instance of the name it picks (`resolveBackend()` and
 * `resolveBackend('onnxruntime')` are the same object when onnxruntime is the fastest installed), so models
 * loaded with and without naming the backend can meet in one op. Any other string (a path, a URL, an unknown
 * name) is an {@link UnknownBackendError} before anything is imported: a name never becomes an import path.
 *
 * @example
 * ```ts
 * const backend = await resolveBackend('js');
 * ```
 */
export function resolveBackend(name?: string, importer?: BackendImporter): Promise<TensorBackend> {
  if (name === undefined) return resolveFastest(importer);
  // Checked before the cache, so that a bad name is never a cache key (and nothing is imported for it).
  try {
    backendSpecifier(name);
  } catch (error) {
    return Promise.reject(error);
  }
  let found = resolved.get(name);
  if (!found) {
    found = createByName(name, importer);
    resolved.set(name, found);
    // A failed resolution is not cached (the package may be installed later).
    found.catch(() => resolved.delete(name));
  }
  return found;
}

/** One backend instance per name, so that models loaded by name separately share it (and can meet in one op). */
const resolved = new Map<string, Promise<TensorBackend>>();

/**
 * The fastest installed backend, through the same per-name cache as a named one: the default is never an
 * instance of its own.
 */
async function resolveFastest(importer?: BackendImporter): Promise<TensorBackend> {
  const available = backendNames();
  const names = BACKEND_PREFERENCE.filter((n) => available.includes(n));
  if (names.length === 0) throw new UnknownBackendError('(fastest)', available, 'cannot be chosen');
  for (const n of names) {
    try {
      return await resolveBackend(n, importer);
    } catch (error) {
      // Not installed (or a package without a factory): try the next one.
      if (error instanceof BackendNotInstalledError && error.backendName === n) continue;
      throw error;
    }
  }
  throw new BackendNotInstalledError('js');
}

async function createByName(name: string, importer?: BackendImporter): Promise<TensorBackend> {
  const factoryOf = registeredBackend(name);
  if (factoryOf) return await factoryOf();
  const specifier = backendSpecifier(name);
  const mod = specifier === null ? null : await importBackendPackage(specifier, importer);
  if (!mod) throw new BackendNotInstalledError(name);
  const factory = (mod.createBackend ?? Object.entries(mod).find(([k]) => /^create.*Backend$/.test(k))?.[1]) as
    | ((...args: unknown[]) => TensorBackend | Promise<TensorBackend>)
    | undefined;
  if (!factory) throw new BackendNotInstalledError(name);
  return await factory();
}

/**
 * A backend object as it is, a name through {@link resolveBackend}, `undefined` as the fastest installed.
 *
 * @example
 * ```ts
 * const backend = await toBackend(options.backend);
 * ```
 */
export async function toBackend(choice?: BackendChoice, importer?: BackendImporter): Promise<TensorBackend> {
  if (choice === undefined || typeof choice === 'string') return resolveBackend(choice, importer);
  if (typeof choice === 'object' && choice !== null && typeof (choice as TensorBackend).name === 'string') {
    return choice;
  }
  throw new UnknownBackendError(String(choice), backendNames(), 'is neither a backend name nor a backend object');
}

/**
 * Imports a backend package (only ever a specifier from {@link KNOWN_BACKENDS}): first as core itself would see it, then (in Node, where strict package
 * managers hide packages core does not depend on) from the application's folder, `process.cwd()`.
 */
async function importBackendPackage(
  specifier: string,
  importer?: BackendImporter,
): Promise<Record<string, unknown> | null> {
  if (importer) {
    try {
      return await importer(specifier);
    } catch {
      // fall through to core's own resolution
    }
  }
  try {
    return (await import(/* @vite-ignore */ specifier)) as Record<string, unknown>;
  } catch {
    const proc = (globalThis as { process?: { cwd(): string; versions?: { node?: string } } }).process;
    if (!proc?.versions?.node) return null;
    try {
      const moduleName = 'node:module';
      const urlName = 'node:url';
      const { createRequire } = (await import(/* @vite-ignore */ moduleName)) as typeof import('node:module');
      const { pathToFileURL } = (await import(/* @vite-ignore */ urlName)) as typeof import('node:url');
      const require = createRequire(`${proc.cwd()}/package.json`);
      const resolved = require.resolve(specifier);
      return (await import(/* @vite-ignore */ pathToFileURL(resolved).href)) as Record<string, unknown>;
    } catch {
      return null;
    }
  }
}
