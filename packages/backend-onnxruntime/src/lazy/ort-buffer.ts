import type { BackendBuffer, DType, TensorData } from '@rlhf/core';
import type { NodeOp } from './node-op.js';

let nextBufferId = 0;

/**
 * One recorded kernel call: an op, its input buffers and its output buffers. Nodes are created by the
 * backend's kernels and compiled into ONNX graphs when a pending buffer is read.
 */
export interface PendingNode {
  readonly op: NodeOp;
  /** Canonical text of `op` (its kind and every attribute that shapes the ONNX it compiles to). */
  readonly signature: string;
  /** The signature without shape attributes (see `dynamicSignatureOf`). */
  readonly dynamicSignature: string;
  readonly inputs: readonly OrtBuffer[];
  /** Filled right after construction; most ops have one output, `adamw` has three. */
  readonly outputs: OrtBuffer[];
}

/** Where a pending buffer's values will come from: output `index` of `node`. */
export interface PendingSource {
  readonly node: PendingNode;
  readonly index: number;
}

/**
 * A lazy buffer of the onnxruntime backend. It is either *materialised* (`data` holds its values on
 * the host, in memory shared with onnxruntime without copies) or *pending* (`source` says which
 * recorded node computes it). Reading a pending buffer compiles and runs every pending computation at
 * once; then `data` is set and `source` dropped.
 *
 * @example
 * ```ts
 * const b = OrtBuffer.materialised(owner, Float32Array.of(1, 2), [2], 'float32', true);
 * b.isPending; // false
 * ```
 */
export class OrtBuffer implements BackendBuffer {
  declare readonly __backendBuffer?: true;
  /** Creation order: roots of a graph are taken in this order. */
  readonly id = nextBufferId++;
  readonly size: number;
  /** Host values once materialised. */
  data: TensorData | null = null;
  /** The recorded computation, while pending. */
  source: PendingSource | null = null;
  /** The error of the run that should have computed this buffer, if it failed. */
  error: unknown = null;
  /** Set by `dispose`; a disposed pending buffer may still feed live ones. */
  disposed = false;
  /** Cached onnxruntime tensor over `data` (created on first use as a graph input). */
  feed: unknown = null;

  private constructor(
    /** The backend instance that made it (buffers never cross instances). */
    readonly owner: object,
    readonly shape: readonly number[],
    readonly dtype: DType,
    /** Counted in the backend's memory accounting (internal constants are not). */
    readonly counted: boolean,
  ) {
    let n = 1;
    for (const d of shape) n *= d;
    this.size = n;
  }

  /** Bytes this buffer holds (or will hold): 4 per element for both dtypes. */
  get bytes(): number {
    return this.size * 4;
  }

  /** Whether the values still have to be computed. */
  get isPending(): boolean {
    return this.data === null && this.error === null;
  }

  /** A buffer over host values (taken as they are: the caller must not mutate them afterwards). */
  static materialised(
    owner: object,
    data: TensorData,
    shape: readonly number[],
    dtype: DType,
    counted: boolean,
  ): OrtBuffer {
    const b = new OrtBuffer(owner, shape, dtype, counted);
    b.data = data;
    return b;
  }

  /** A buffer computed by output `index` of `node` (`counted`: false for the backend's internal values). */
  static pending(
    owner: object,
    node: PendingNode,
    index: number,
    shape: readonly number[],
    dtype: DType,
    counted = true,
  ): OrtBuffer {
    const b = new OrtBuffer(owner, shape, dtype, counted);
    b.source = { node, index };
    return b;
  }
}
