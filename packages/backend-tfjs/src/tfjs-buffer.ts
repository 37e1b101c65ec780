import type { BackendBuffer, DType } from '@rlhf/core';
import type { TfTensor } from './tfjs-types.js';

/**
 * A buffer of the tfjs backend: one TensorFlow.js tensor, owned by exactly one handle. Disposing the
 * handle disposes the tensor (tfjs reference-counts the storage that reshapes share).
 */
export class TfjsBuffer implements BackendBuffer {
  /** Brand of core's opaque buffer type (declared only). */
  declare readonly __backendBuffer?: true;
  /** Set by the backend's `dispose`. */
  disposed = false;

  /** Makes this handle the owner of a tfjs tensor of the backend that created it. */
  constructor(
    /** The tensor this handle owns. */
    readonly tensor: TfTensor,
    /** The backend instance that made it (buffers of another instance are rejected). */
    readonly owner: object,
    /** `float32` or `int32`. */
    readonly dtype: DType,
    /** Bytes counted for this handle (4 per element). */
    readonly bytes: number,
  ) {}
}
