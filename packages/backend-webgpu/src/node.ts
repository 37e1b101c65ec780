/**
 * `@rlhf/backend-webgpu/node`: WebGPU in Node.js through Dawn's bindings (npm `webgpu`). The main entry
 * imports this module lazily when `navigator.gpu` is absent; import it yourself to pick Dawn's options.
 *
 * @packageDocumentation
 */
import { create } from 'webgpu';
import type { DawnAttempt } from './dawn-attempt.js';

/**
 * Where the `GPU` objects made by Dawn are kept. Dawn crashes at random when the object returned by
 * `create()` is garbage-collected while its devices live, so every one made here stays reachable from
 * `globalThis` for the whole process.
 */
const KEPT = Symbol.for('@rlhf/backend-webgpu:dawn-instances');

export type { DawnAttempt };

/** What {@link requestDawnAdapter} found. */
export interface DawnAdapterResult {
  /** The first adapter found, or `null`. */
  adapter: GPUAdapter | null;
  /** The attempt that found it. */
  attempt?: DawnAttempt;
  /** One line per attempt that found none: what was tried and what it answered. */
  tried: string[];
}

/**
 * The attempts tried in order when none is given: Dawn's default backend (Vulkan on Linux, Metal on
 * macOS, D3D12 on Windows — a real GPU, or lavapipe when Mesa's Vulkan driver is installed), then OpenGL ES
 * through EGL (Mesa's llvmpipe on a machine with no GPU; compatibility mode).
 */
export const DEFAULT_DAWN_ATTEMPTS: readonly DawnAttempt[] = [
  { dawnOptions: [], featureLevel: 'core' },
  { dawnOptions: ['backend=opengles'], featureLevel: 'compatibility' },
];

/**
 * Dawn's `GPU` object for the given toggles, made once per process and kept reachable (see the note on
 * the crash above). Sets `EGL_PLATFORM=surfaceless` for the OpenGL ES backend when it is not set, so EGL
 * needs no display.
 *
 * @example
 * ```ts
 * const gpu = dawnGpu(['backend=opengles']);
 * const adapter = await gpu.requestAdapter({ featureLevel: 'compatibility' });
 * ```
 */
export function dawnGpu(dawnOptions: readonly string[] = []): GPU {
  const holder = globalThis as unknown as Record<symbol, Map<string, GPU> | undefined>;
  let kept = holder[KEPT];
  if (!kept) {
    kept = new Map();
    holder[KEPT] = kept;
  }
  const key = dawnOptions.join('\u0000');
  let gpu = kept.get(key);
  if (!gpu) {
    if (dawnOptions.includes('backend=opengles') && process.env.EGL_PLATFORM === undefined) {
      process.env.EGL_PLATFORM = 'surfaceless';
    }
    gpu = create([...dawnOptions]);
    kept.set(key, gpu);
  }
  return gpu;
}

/**
 * Requests an adapter from Dawn, trying each attempt in turn; returns the first adapter with the attempt
 * that found it, and one line per attempt that found none (for the error that names what was tried).
 *
 * @example
 * ```ts
 * const { adapter, tried } = await requestDawnAdapter('high-performance');
 * ```
 */
export async function requestDawnAdapter(
  powerPreference?: GPUPowerPreference,
  attempts: readonly DawnAttempt[] = DEFAULT_DAWN_ATTEMPTS,
): Promise<DawnAdapterResult> {
  const tried: string[] = [];
  for (const attempt of attempts) {
    const label = `webgpu (Dawn) create([${attempt.dawnOptions.map((o) => `'${o}'`).join(', ')}]), featureLevel '${attempt.featureLevel}'`;
    try {
      const gpu = dawnGpu(attempt.dawnOptions);
      const adapter = await gpu.requestAdapter({
        featureLevel: attempt.featureLevel,
        ...(powerPreference ? { powerPreference } : {}),
      });
      if (adapter) return { adapter, attempt, tried };
      tried.push(`${label}: no adapter`);
    } catch (error) {
      tried.push(`${label}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { adapter: null, tried };
}
