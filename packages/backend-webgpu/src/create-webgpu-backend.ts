/// <reference types="@webgpu/types" />
import { acquireDevice, describeAdapter } from './acquire-device.js';
import type { DawnAttempt } from './dawn-attempt.js';
import { WebGpuBackend, type WebGpuBackendSettings } from './webgpu-backend.js';

/**
 * Options of {@link createWebGpuBackend}.
 *
 * @example
 * ```ts
 * const options: WebGpuBackendOptions = { powerPreference: 'high-performance', memoryLimitBytes: 2 ** 32 };
 * ```
 */
export interface WebGpuBackendOptions extends WebGpuBackendSettings {
  /** A device to run on (from your own `navigator.gpu` or Dawn adapter); otherwise one is requested. */
  device?: GPUDevice;
  /** Passed to `requestAdapter` when the backend requests its own device. */
  powerPreference?: GPUPowerPreference;
  /**
   * Node only: Dawn's entry points to try, in order (default: Dawn's own backend, then OpenGL ES in
   * compatibility mode — `DEFAULT_DAWN_ATTEMPTS` of `@rlhf/backend-webgpu/node`).
   */
  dawnAttempts?: readonly DawnAttempt[];
}

/**
 * Creates the WebGPU backend: on the given device, or on one from `navigator.gpu` (browsers, Deno), or in
 * Node from Dawn's bindings (npm `webgpu`, imported only then) — Dawn's default backend first (Vulkan,
 * Metal or D3D12), then OpenGL ES through EGL (Mesa on a machine without a GPU). Throws
 * `WebGpuUnavailableError` listing every attempt when none gives an adapter.
 *
 * @example
 * ```ts
 * import { createWebGpuBackend } from '@rlhf/backend-webgpu';
 * import { matmul, tensor } from '@rlhf/core';
 *
 * const backend = await createWebGpuBackend();
 * const x = tensor(backend, [1, 2, 3, 4], [2, 2]);
 * console.log(await matmul(x, x).data()); // Float32Array [7, 10, 15, 22]
 * ```
 */
export async function createWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  if (options.device) return new WebGpuBackend(options.device, options);
  const acquired = await acquireDevice(options.powerPreference, options.dawnAttempts);
  return new WebGpuBackend(acquired.device, {
    ...options,
    adapterInfo: options.adapterInfo ?? `${acquired.adapterInfo} (${acquired.source})`,
  });
}

/**
 * The factory `resolveBackend('webgpu')` calls: {@link createWebGpuBackend} with default options.
 *
 * @example
 * ```ts
 * const backend = await createBackend();
 * ```
 */
export function createBackend(): Promise<WebGpuBackend> {
  return createWebGpuBackend();
}

export { describeAdapter };
