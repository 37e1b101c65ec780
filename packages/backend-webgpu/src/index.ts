/**
 * `@rlhf/backend-webgpu`: core's backend spec as hand-written WGSL compute shaders on WebGPU —
 * `navigator.gpu` in browsers, Dawn's bindings (npm `webgpu`, loaded lazily) in Node, or a device you
 * pass in. Batched command submission, pooled buffers, asynchronous reads.
 *
 * @packageDocumentation
 */

import { registerBackend } from '@rlhf/core';
import { createBackend } from './create-webgpu-backend.js';

export { type AcquiredDevice, acquireDevice, REQUIRED_LIMITS } from './acquire-device.js';
export {
  createBackend,
  createWebGpuBackend,
  describeAdapter,
  type WebGpuBackendOptions,
} from './create-webgpu-backend.js';
export type { DawnAttempt } from './dawn-attempt.js';
export type { ExecutorStats } from './executor.js';
export { WebGpuBackend, type WebGpuBackendSettings } from './webgpu-backend.js';
export {
  GpuDeviceLostError,
  GpuExecutionError,
  GpuOutOfMemoryError,
  WebGpuUnavailableError,
  WebGpuUnsupportedError,
} from './webgpu-errors.js';

// Importing the package makes `resolveBackend('webgpu')` find it, in Node and inside a browser bundle alike.
registerBackend('webgpu', () => createBackend());
