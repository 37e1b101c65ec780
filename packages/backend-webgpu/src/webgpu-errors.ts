import { RlhfError } from '@rlhf/core';

/**
 * No WebGPU adapter (or device) could be obtained. The message lists every way that was tried and what
 * each one answered, so that a missing driver or library can be told apart from a missing API.
 *
 * @example
 * ```ts
 * throw new WebGpuUnavailableError(['navigator.gpu: absent', "webgpu create(['backend=opengles']): no adapter"]);
 * ```
 */
export class WebGpuUnavailableError extends RlhfError {
  /** Builds the error from the list of attempts to get an adapter and a device. */
  constructor(
    /** One line per attempt: what was tried and what it answered. */
    readonly attempts: readonly string[],
    options?: { cause?: unknown },
  ) {
    super('WEBGPU_NO_ADAPTER', `No WebGPU adapter was found. Tried:\n  ${attempts.join('\n  ')}`, options);
  }
}

/**
 * An allocation did not fit: larger than the device's buffer limits, beyond the backend's
 * `memoryLimitBytes`, or refused by the device. Names the size asked for and the bytes already live.
 *
 * @example
 * ```ts
 * throw new GpuOutOfMemoryError(1 << 30, 5_000_000, 'over maxStorageBufferBindingSize (134217728 bytes)');
 * ```
 */
export class GpuOutOfMemoryError extends RlhfError {
  /** Builds the error from the failed allocation's size and the bytes already held. */
  constructor(
    /** Bytes of the allocation that failed. */
    readonly requestedBytes: number,
    /** Bytes held by live tensors of the backend when it failed. */
    readonly liveBytes: number,
    /** Which limit was hit. */
    readonly reason: string,
  ) {
    super(
      'GPU_OUT_OF_MEMORY',
      `WebGPU: cannot allocate ${requestedBytes} bytes (${liveBytes} bytes live in tensors): ${reason}.`,
    );
  }
}

/**
 * The GPU device was lost (driver reset, `device.destroy()`, the GPU process crashed). Every later call
 * on the backend throws this; tensors on it are gone, while anything already copied to the host (or saved
 * to disk) stays valid. Create a new backend to continue.
 *
 * @example
 * ```ts
 * throw new GpuDeviceLostError('destroyed', 'Device was destroyed.');
 * ```
 */
export class GpuDeviceLostError extends RlhfError {
  /** Builds the error from the device-loss reason and message. */
  constructor(
    /** `GPUDeviceLostInfo.reason`: `'destroyed'` or `'unknown'`. */
    readonly reason: string,
    /** The device's own message. */
    readonly detail: string,
  ) {
    super('GPU_DEVICE_LOST', `WebGPU device lost (${reason}): ${detail}`);
  }
}

/**
 * The adapter lacks a feature or limit the backend needs (or one the caller required).
 *
 * @example
 * ```ts
 * throw new WebGpuUnsupportedError('maxComputeInvocationsPerWorkgroup', 'needs 256, the adapter offers 128');
 * ```
 */
export class WebGpuUnsupportedError extends RlhfError {
  /** Builds the error from the missing feature or limit and what was needed. */
  constructor(
    /** The feature or limit. */
    readonly feature: string,
    /** What was needed against what is offered. */
    readonly detail: string,
  ) {
    super('WEBGPU_UNSUPPORTED', `WebGPU: the adapter does not support ${feature}: ${detail}.`);
  }
}

/**
 * The device reported a validation or internal error for work the backend submitted (a bug in a kernel,
 * or a limit the backend did not check). Carries the device's message.
 *
 * @example
 * ```ts
 * throw new GpuExecutionError('validation', 'Binding size is larger than the maximum');
 * ```
 */
export class GpuExecutionError extends RlhfError {
  /** Builds the error from the kind of GPU error scope and the device's message. */
  constructor(
    /** `'validation'`, `'internal'` or `'out-of-memory'`. */
    readonly kind: string,
    /** The device's message. */
    readonly detail: string,
  ) {
    super('GPU_EXECUTION_FAILED', `WebGPU ${kind} error: ${detail}`);
  }
}
