import { SPECIFICATION_VERSION, type TensorBackend } from '@rlhf/core';

/**
 * A backend package the harness knows how to load. `factory` names the exported function that creates
 * the backend; without it, the package's `createBackend` export is used, or else its single export named
 * `create…Backend` (the convention `@rlhf/cli` resolves backends by, too).
 */
export interface BackendPackage {
  /** Short name used by `--backend` and in the results (`js`, `onnxruntime`, ...). */
  name: string;
  /** npm package name. */
  packageName: string;
  /** Exported factory, sync or async, called with no arguments. */
  factory?: string;
}

/**
 * Every backend package of the project, existing or planned. A package that is not installed in
 * `benchmarks/` (not a dependency there, or not built) is skipped. To benchmark a new backend, add it
 * here and as a dependency of `@rlhf/benchmarks`.
 */
export const BACKEND_PACKAGES: readonly BackendPackage[] = [
  { name: 'js', packageName: '@rlhf/backend-js', factory: 'createJsBackend' },
  { name: 'tfjs', packageName: '@rlhf/backend-tfjs' },
  { name: 'onnxruntime', packageName: '@rlhf/backend-onnxruntime' },
  { name: 'webgpu', packageName: '@rlhf/backend-webgpu' },
];

/** A backend that loaded. */
export interface LoadedBackend {
  name: string;
  packageName: string;
  backend: TensorBackend;
}

/** A backend that did not load, and why. */
export interface SkippedBackend {
  name: string;
  packageName: string;
  /** `not-installed`: the package cannot be resolved; `error`: it resolved but failed to load or create. */
  kind: 'not-installed' | 'error';
  reason: string;
}

/** The outcome of {@link loadBackends}. */
export interface BackendSelection {
  loaded: LoadedBackend[];
  skipped: SkippedBackend[];
}

type Importer = (specifier: string) => Promise<Record<string, unknown>>;

const defaultImporter: Importer = (specifier) => import(specifier) as Promise<Record<string, unknown>>;

/**
 * Loads the backends named in `only` (every known one when empty). A name that is not in
 * {@link BACKEND_PACKAGES} is tried as `@rlhf/backend-<name>`.
 */
export async function loadBackends(
  only: readonly string[] = [],
  importer: Importer = defaultImporter,
): Promise<BackendSelection> {
  const entries =
    only.length === 0
      ? BACKEND_PACKAGES
      : only.map(
          (name) => BACKEND_PACKAGES.find((p) => p.name === name) ?? { name, packageName: `@rlhf/backend-${name}` },
        );
  const selection: BackendSelection = { loaded: [], skipped: [] };
  for (const entry of entries) {
    let mod: Record<string, unknown>;
    try {
      mod = await importer(entry.packageName);
    } catch (error) {
      const notInstalled = isModuleNotFound(error, entry.packageName);
      selection.skipped.push({
        name: entry.name,
        packageName: entry.packageName,
        kind: notInstalled ? 'not-installed' : 'error',
        reason: notInstalled ? 'not installed' : `failed to load: ${messageOf(error)}`,
      });
      continue;
    }
    try {
      const backend = await createFrom(mod, entry);
      selection.loaded.push({ name: entry.name, packageName: entry.packageName, backend });
    } catch (error) {
      selection.skipped.push({
        name: entry.name,
        packageName: entry.packageName,
        kind: 'error',
        reason: messageOf(error),
      });
    }
  }
  return selection;
}

async function createFrom(mod: Record<string, unknown>, entry: BackendPackage): Promise<TensorBackend> {
  const factoryName =
    entry.factory ??
    ('createBackend' in mod
      ? 'createBackend'
      : singleOrThrow(
          Object.keys(mod).filter((k) => /^create\w*Backend$/.test(k)),
          entry.packageName,
        ));
  const factory = mod[factoryName];
  if (typeof factory !== 'function')
    throw new Error(`${entry.packageName} does not export a function '${factoryName}'`);
  const backend = (await factory()) as TensorBackend;
  if (backend?.specificationVersion !== SPECIFICATION_VERSION) {
    throw new Error(
      `${entry.packageName} implements backend spec '${String(backend?.specificationVersion)}'; this harness needs '${SPECIFICATION_VERSION}'`,
    );
  }
  return backend;
}

function singleOrThrow(names: string[], packageName: string): string {
  if (names.length !== 1) {
    throw new Error(
      `${packageName} must export exactly one create…Backend function (found: ${names.join(', ') || 'none'})`,
    );
  }
  return names[0] as string;
}

/** True when `error` says that `packageName` itself (not one of its own imports) cannot be resolved. */
function isModuleNotFound(error: unknown, packageName: string): boolean {
  const message = messageOf(error);
  const code = (error as { code?: unknown } | null)?.code;
  const notFound =
    code === 'ERR_MODULE_NOT_FOUND' || /Cannot find (package|module)|Failed to (load|resolve)/i.test(message);
  return notFound && message.includes(`'${packageName}'`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
