import { RlhfError } from '@rlhf/core';

/**
 * The TensorFlow.js backend that was asked for (or any at all) is not registered with tfjs, or failed to
 * initialise. Register one by importing its package (`@tensorflow/tfjs-backend-cpu`,
 * `@tensorflow/tfjs-backend-wasm`, `@tensorflow/tfjs-backend-webgl`, ...) before creating the backend.
 *
 * @example
 * ```ts
 * throw new TfjsBackendNotFoundError('wasm', ['cpu'], 'it is not registered');
 * ```
 */
export class TfjsBackendNotFoundError extends RlhfError {
  /** Builds the error from the tfjs backend asked for and the ones that are registered. */
  constructor(
    /** The tfjs backend asked for (`'(any)'` when none was named). */
    readonly tfjsBackend: string,
    /** The tfjs backends registered at the time. */
    readonly registered: readonly string[],
    reason: string,
  ) {
    super(
      'TFJS_BACKEND_NOT_FOUND',
      `TensorFlow.js backend '${tfjsBackend}' is not available: ${reason}. Registered: ${
        registered.length > 0 ? registered.join(', ') : 'none'
      }. Import @tensorflow/tfjs-backend-${tfjsBackend === '(any)' ? '<name>' : tfjsBackend} first.`,
    );
  }
}

/**
 * The WebGL context of tfjs's `webgl` backend was lost (the browser reclaimed the GPU, a driver reset,
 * too many contexts). Every tensor on it is gone: recreate the model and its optimiser state.
 *
 * @example
 * ```ts
 * throw new WebGLContextLostError('read');
 * ```
 */
export class WebGLContextLostError extends RlhfError {
  /** Builds the error for the kernel or read during which the WebGL context was lost. */
  constructor(
    /** The kernel or read during which the loss was noticed. */
    readonly op: string,
    options?: { cause?: unknown },
  ) {
    super(
      'TFJS_WEBGL_CONTEXT_LOST',
      `The WebGL context of the TensorFlow.js 'webgl' backend was lost during '${op}': its tensors are gone.`,
      options,
    );
  }
}

/**
 * A dtype that this backend cannot hold on TensorFlow.js (only `float32` and `int32` are stored; tfjs's
 * `bool`, `complex64` and `string` are not tensors of the specification, and tfjs has no `float64` or
 * `float16`).
 *
 * @example
 * ```ts
 * throw new TfjsUnsupportedDTypeError('write', 'float64');
 * ```
 */
export class TfjsUnsupportedDTypeError extends RlhfError {
  /** Builds the error for a kernel given a dtype tfjs cannot hold. */
  constructor(
    /** The kernel that got the dtype. */
    readonly op: string,
    /** The dtype asked for. */
    readonly dtype: string,
  ) {
    super(
      'TFJS_UNSUPPORTED_DTYPE',
      `Operation '${op}' on backend 'tfjs': dtype '${dtype}' is not supported (float32 and int32 only).`,
    );
  }
}
