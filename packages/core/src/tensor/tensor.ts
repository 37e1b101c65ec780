import type { BackendBuffer, DType, Shape, TensorBackend, TensorData } from '../backend/backend-spec.js';
import {
  BackendMismatchError,
  DisposedTensorError,
  ShapeError,
  UnsupportedOperationError,
} from '../errors/tensor-errors.js';
import { engine } from './engine.js';
import { sizeOf } from './shape-utils.js';

/**
 * How a tensor was computed, for reverse-mode autodiff: the op's inputs and the rule that maps the
 * gradient of the output to gradients of the inputs (`null` where an input gets none).
 */
export interface GradNode {
  /** Name of the op, for error messages and debugging. */
  readonly op: string;
  /** Inputs of the op, in order. */
  readonly inputs: readonly Tensor[];
  /** Gradient rule: ∂L/∂output → ∂L/∂input for every input. Runs with the tape off. */
  readonly backward: (dy: Tensor) => readonly (Tensor | null)[];
}

let nextId = 0;

/**
 * An n-dimensional array on a backend. Tensors are immutable: every op returns a new tensor.
 * A tensor holds device memory until it is disposed, either by {@link Tensor.dispose} or by the
 * enclosing {@link tidy} scope.
 *
 * @example
 * ```ts
 * const x = tensor(backend, [1, 2, 3, 4], [2, 2]);
 * const y = matmul(x, x);
 * console.log(await y.data()); // Float32Array [7, 10, 15, 22]
 * ```
 */
export class Tensor {
  /** Unique id, increasing in creation order. */
  readonly id = nextId++;
  /** Gradient accumulated by {@link Tensor.backward} (for tensors with `requiresGrad`). */
  grad: Tensor | null = null;
  /** The op that produced this tensor, when it was recorded on the tape. */
  gradNode: GradNode | null = null;
  /** Whether gradients flow to (or through) this tensor. */
  requiresGrad = false;
  /** Kept tensors are never disposed by a {@link tidy} scope (parameters, optimizer state, gradients). */
  kept = false;
  private buf: BackendBuffer | null;

  /** Wraps a backend buffer as a tensor; use the creation functions (`tensor`, `zeros`, …) rather than this. */
  constructor(
    buffer: BackendBuffer,
    /** Dimensions, outermost first. */
    readonly shape: readonly number[],
    /** Element type. */
    readonly dtype: DType,
    /** Backend that owns the buffer. */
    readonly backend: TensorBackend,
  ) {
    this.buf = buffer;
    engine.track(this);
  }

  /** Number of elements. */
  get size(): number {
    return sizeOf(this.shape);
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** True once the device memory has been released. */
  get isDisposed(): boolean {
    return this.buf === null;
  }

  /** The backend buffer; throws {@link DisposedTensorError} after disposal. */
  buffer(op = 'read'): BackendBuffer {
    if (this.buf === null) throw new DisposedTensorError(op);
    return this.buf;
  }

  /** Copies the values to the host. */
  data(): Promise<TensorData> {
    return this.backend.read(this.buffer('data'));
  }

  /** Copies the values to the host synchronously (backends with `capabilities.syncRead` only). */
  dataSync(): TensorData {
    if (!this.backend.readSync) throw new UnsupportedOperationError('readSync', this.backend.name);
    return this.backend.readSync(this.buffer('dataSync'));
  }

  /** The value of a one-element tensor. */
  async item(): Promise<number> {
    const d = await this.data();
    if (d.length !== 1) throw new DisposedTensorError('item (tensor must have exactly one element)');
    return d[0] as number;
  }

  /**
   * Replaces this leaf tensor's values with `source`'s (same shape, dtype and backend) without changing its
   * identity: the way optimizers update parameters and their state. `source` is consumed (disposed
   * without freeing the memory it hands over). Not for tensors on the tape.
   */
  assign(source: Tensor): void {
    if (source.backend !== this.backend)
      throw new BackendMismatchError('assign', [this.backend.name, source.backend.name]);
    if (source.dtype !== this.dtype || source.size !== this.size) {
      throw new ShapeError(
        'assign',
        [this.shape, source.shape],
        `source must match in size and dtype (${this.dtype}, ${source.dtype})`,
      );
    }
    const incoming = source.buffer('assign');
    source.buf = null;
    source.gradNode = null;
    engine.untrack(source);
    if (this.buf !== null) this.backend.dispose(this.buf);
    this.buf = incoming;
  }

  /** Releases the device memory (idempotent). Also releases the gradient, if any. */
  dispose(): void {
    if (this.buf === null) return;
    this.backend.dispose(this.buf);
    this.buf = null;
    this.gradNode = null;
    engine.untrack(this);
    if (this.grad) {
      this.grad.dispose();
      this.grad = null;
    }
  }

  /**
   * Reverse-mode autodiff from this tensor: accumulates ∂this/∂leaf into `leaf.grad` for every leaf
   * with `requiresGrad` that this tensor depends on. A non-scalar tensor needs `seed` (∂L/∂this).
   */
  backward(seed?: Tensor): void {
    engine.backward(this, seed);
  }

  /** A short description: shape, dtype and backend. */
  toString(): string {
    return `Tensor(shape=[${this.shape.join(', ')}], dtype=${this.dtype}, backend=${this.backend.name})`;
  }
}

/** Anything an op accepts where a tensor is expected: a tensor or a plain number (a scalar). */
export type TensorLike = Tensor | number;

/** Shape helper re-exported for op signatures. */
export type { Shape };
