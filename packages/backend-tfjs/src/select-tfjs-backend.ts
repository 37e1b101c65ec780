import { TfjsBackendNotFoundError } from './tfjs-errors.js';
import type { Tfjs } from './tfjs-types.js';

/** Names of the tfjs backends registered with the engine of `tf` (`cpu`, `wasm`, `webgl`, ...). */
export function registeredTfjsBackends(tf: Tfjs): string[] {
  const registry = (tf.engine() as unknown as { registryFactory?: Record<string, unknown> }).registryFactory ?? {};
  return Object.keys(registry);
}

/**
 * Makes `name` tfjs's active backend (or, without a name, keeps the one the user set, letting tfjs pick
 * its best registered one when none is set yet), waits for it to initialise (wasm and webgl initialise
 * asynchronously) and returns its name. Throws {@link TfjsBackendNotFoundError} when the backend is not
 * registered, none is, or it fails to initialise.
 */
export async function selectTfjsBackend(tf: Tfjs, name?: string): Promise<string> {
  const registered = registeredTfjsBackends(tf);
  if (name !== undefined) {
    if (!registered.includes(name)) throw new TfjsBackendNotFoundError(name, registered, 'it is not registered');
    if (tf.getBackend() !== name || !(await isReady(tf))) {
      const ok = await tf.setBackend(name).catch(() => false);
      if (!ok) throw new TfjsBackendNotFoundError(name, registered, 'it failed to initialise');
    }
    return name;
  }
  if (registered.length === 0) throw new TfjsBackendNotFoundError('(any)', registered, 'no backend is registered');
  if (!(await isReady(tf))) throw new TfjsBackendNotFoundError('(any)', registered, 'none initialised');
  return tf.getBackend();
}

async function isReady(tf: Tfjs): Promise<boolean> {
  try {
    await tf.ready();
    return true;
  } catch {
    return false;
  }
}
