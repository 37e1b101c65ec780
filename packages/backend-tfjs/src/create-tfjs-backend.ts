import * as tfjsCore from '@tensorflow/tfjs-core';
import { selectTfjsBackend } from './select-tfjs-backend.js';
import { TfjsBackend } from './tfjs-backend.js';
import type { Tfjs } from './tfjs-types.js';

/**
 * Options of {@link createTfjsBackend}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * const options: TfjsBackendOptions = { tf, backendName: 'webgl' };
 * ```
 */
export interface TfjsBackendOptions {
  /**
   * The TensorFlow.js namespace to compute with (`import * as tf from '@tensorflow/tfjs'` or
   * `'@tensorflow/tfjs-core'`). Default: this package's `@tensorflow/tfjs-core` import (a peer
   * dependency, so normally the same copy the program loads).
   */
  tf?: Tfjs;
  /**
   * The tfjs backend to run on (`'cpu'`, `'wasm'`, `'webgl'`, `'webgpu'`, ...); it must be registered
   * (its package imported) and becomes tfjs's active backend. Default: the active one (tfjs picks its
   * best registered backend when none was set).
   */
  backendName?: string;
}

/**
 * Creates the TensorFlow.js backend on the tfjs backend the user has set, or on the one named. Throws
 * `TfjsBackendNotFoundError` when no tfjs backend (or not the named one) is registered or it fails to
 * initialise.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-wasm';
 * import { createTfjsBackend } from '@rlhf/backend-tfjs';
 * import { matmul, tensor } from '@rlhf/core';
 *
 * const backend = await createTfjsBackend({ tf, backendName: 'wasm' });
 * const x = tensor(backend, [1, 2, 3, 4], [2, 2]);
 * console.log(await matmul(x, x).data()); // Float32Array [7, 10, 15, 22]
 * ```
 */
export async function createTfjsBackend(options: TfjsBackendOptions = {}): Promise<TfjsBackend> {
  const tf = options.tf ?? (tfjsCore as Tfjs);
  const active = await selectTfjsBackend(tf, options.backendName);
  return new TfjsBackend(tf, active);
}

/** tfjs backend packages tried, in order, by {@link createBackend} when no tfjs backend is registered. */
const DEFAULT_BACKEND_PACKAGES = ['@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu'] as const;

/**
 * The factory `resolveBackend('tfjs')` (and `backend: 'tfjs'` everywhere) calls. Like
 * {@link createTfjsBackend}, except that when no tfjs backend is registered yet it first imports the
 * installed one of `@tensorflow/tfjs-backend-wasm` and `@tensorflow/tfjs-backend-cpu` (wasm is tried
 * first: about 30× faster in Node), so that `rlhf ... --backend tfjs` works with nothing else imported.
 *
 * @example
 * ```ts
 * const backend = await createBackend(); // tfjs on wasm when @tensorflow/tfjs-backend-wasm is installed
 * ```
 */
export async function createBackend(options: TfjsBackendOptions = {}): Promise<TfjsBackend> {
  const tf = options.tf ?? (tfjsCore as Tfjs);
  const registry = (tf.engine() as unknown as { registryFactory?: Record<string, unknown> }).registryFactory ?? {};
  if (options.backendName === undefined && Object.keys(registry).length === 0) {
    for (const pkg of DEFAULT_BACKEND_PACKAGES) {
      try {
        await import(/* @vite-ignore */ pkg);
        if (await tf.setBackend(pkg.slice('@tensorflow/tfjs-backend-'.length)).catch(() => false)) break;
      } catch {
        // not installed: try the next one
      }
    }
  }
  return createTfjsBackend({ ...options, tf });
}
