/// <reference types="@webgpu/types" />
import type { BackendBuffer, DType, Shape } from '@rlhf/core';

/** Device storage shared by a tensor and its reshapes; returned to the pool when the last handle goes. */
export interface GpuStorage {
  /** The pooled device buffer (its size is the pool's size class, at least `bytes`). */
  readonly buffer: GPUBuffer;
  /** Bytes the tensor's values take (4 per element; 0 for a size-0 tensor). */
  readonly bytes: number;
  /** Live handles on this storage. */
  refs: number;
}

/** The backend's handle behind core's opaque `BackendBuffer`: shape, dtype and device storage. */
export class GpuTensor implements BackendBuffer {
  declare readonly __backendBuffer?: true;
  disposed = false;

  /** Wraps a region of device storage as a buffer of the given shape and dtype. */
  constructor(
    readonly storage: GpuStorage,
    readonly shape: Shape,
    readonly dtype: DType,
    /** Product of `shape`. */
    readonly size: number,
    /** The backend that made it (handles of another backend instance are foreign). */
    readonly owner: object,
  ) {}
}
