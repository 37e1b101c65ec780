import {
  type AdamWHyper,
  type BackendBuffer,
  type BackendCapabilities,
  type BinaryOp,
  type CompareOp,
  DisposedTensorError,
  type DType,
  type FusedKernels,
  InvalidArgumentError,
  type MemoryInfo,
  type ReduceOp,
  type Shape,
  SPECIFICATION_VERSION,
  type TensorBackend,
  type TensorData,
  type UnaryOp,
  UnsupportedOperationError,
} from '@rlhf/core';
import { binary } from './binary.js';
import { broadcastTo, where } from './broadcast.js';
import { cast } from './cast.js';
import { compare } from './compare.js';
import { adamw } from './fused/adamw.js';
import { gelu } from './fused/gelu.js';
import { layerNorm } from './fused/layer-norm.js';
import { rmsNorm } from './fused/rms-norm.js';
import { rotary } from './fused/rotary.js';
import { silu } from './fused/silu.js';
import { logSoftmax, softmax } from './fused/softmax.js';
import { gather, scatterAdd } from './gather.js';
import { type Dense, dtypeOf, type FloatArray, JsBuffer, type NumericArray } from './js-buffer.js';
import { matmul } from './matmul.js';
import { concat, pad, permute, slice } from './movement.js';
import { argMax, reduce } from './reduce.js';
import { sizeOf } from './shape.js';
import { unary } from './unary.js';

/**
 * Options of {@link createJsBackend}.
 *
 * @example
 * ```ts
 * const options: JsBackendOptions = { precision: 'float64' };
 * ```
 */
export interface JsBackendOptions {
  /**
   * Storage and arithmetic of `float32` tensors: `'float32'` (default) stores them in `Float32Array`;
   * `'float64'` stores them in `Float64Array` and never rounds to float32 — the oracle for
   * finite-difference gradient checks.
   */
  precision?: 'float32' | 'float64';
}

type FloatCtor = new (source: ArrayLike<number> | number) => FloatArray;

/**
 * The reference backend: every kernel of the spec in plain TypeScript on typed arrays, with no
 * dependencies beyond `@rlhf/core` and no Node built-ins (runs in browsers). Its buffers are typed arrays on
 * the host (an internal `JsBuffer` class behind core's opaque `BackendBuffer`).
 *
 * @example
 * ```ts
 * const backend = new JsBackend();
 * const x = backend.write(new Float32Array([1, 2, 3]), [3], 'float32');
 * backend.readSync(backend.unary('square', x)); // Float32Array [1, 4, 9]
 * ```
 */
export class JsBackend implements TensorBackend {
  readonly specificationVersion = SPECIFICATION_VERSION;
  /** `'js'`, or `'js-float64'` in float64 mode. */
  readonly name: string;
  /** Storage precision of float tensors. */
  readonly precision: 'float32' | 'float64';
  readonly capabilities: BackendCapabilities = {
    dtypes: ['float32', 'int32'],
    syncRead: true,
    fused: ['softmax', 'logSoftmax', 'rmsNorm', 'layerNorm', 'rotary', 'gelu', 'silu', 'adamw'],
  };
  /** Fused kernels, as arrow functions: core may call them detached from the backend. */
  readonly fused: Required<FusedKernels> = {
    softmax: (x) => this.floatOut(softmax(this.float(x, 'softmax')), this.get(x, 'softmax').shape),
    logSoftmax: (x) => this.floatOut(logSoftmax(this.float(x, 'logSoftmax')), this.get(x, 'logSoftmax').shape),
    rmsNorm: (x, weight, eps) =>
      this.floatOut(
        rmsNorm(this.float(x, 'rmsNorm'), this.float(weight, 'rmsNorm'), eps),
        this.get(x, 'rmsNorm').shape,
      ),
    layerNorm: (x, weight, bias, eps) =>
      this.floatOut(
        layerNorm(this.float(x, 'layerNorm'), this.float(weight, 'layerNorm'), this.float(bias, 'layerNorm'), eps),
        this.get(x, 'layerNorm').shape,
      ),
    rotary: (x, cos, sin) =>
      this.floatOut(
        rotary(this.float(x, 'rotary'), this.float(cos, 'rotary'), this.float(sin, 'rotary')),
        this.get(x, 'rotary').shape,
      ),
    gelu: (x) => this.floatOut(gelu(this.float(x, 'gelu').data), this.get(x, 'gelu').shape),
    silu: (x) => this.floatOut(silu(this.float(x, 'silu').data), this.get(x, 'silu').shape),
    adamw: (param: BackendBuffer, grad: BackendBuffer, m: BackendBuffer, v: BackendBuffer, hyper: AdamWHyper) => {
      const p = this.float(param, 'adamw');
      const [p2, m2, v2] = adamw(
        p.data,
        this.float(grad, 'adamw').data,
        this.float(m, 'adamw').data,
        this.float(v, 'adamw').data,
        hyper,
      );
      return [this.floatOut(p2, p.shape), this.floatOut(m2, p.shape), this.floatOut(v2, p.shape)];
    },
  };
  private readonly FloatArray: FloatCtor;
  private liveBuffers = 0;
  private liveBytes = 0;

  /** Creates the reference backend (float32 by default; `options` can switch to float64 arithmetic). */
  constructor(options: JsBackendOptions = {}) {
    this.precision = options.precision ?? 'float32';
    this.name = this.precision === 'float64' ? 'js-float64' : 'js';
    this.FloatArray = this.precision === 'float64' ? Float64Array : Float32Array;
  }

  // ---- storage --------------------------------------------------------------------------------------

  write(values: TensorData, shape: Shape, dtype: DType): BackendBuffer {
    if (values.length !== sizeOf(shape)) {
      throw new InvalidArgumentError(
        'write',
        'values',
        `${values.length} values`,
        `do not fill shape [${shape.join(', ')}]`,
      );
    }
    return this.wrap(dtype === 'int32' ? new Int32Array(values) : new this.FloatArray(values), shape);
  }

  fill(shape: Shape, value: number, dtype: DType): BackendBuffer {
    const n = sizeOf(shape);
    const data = dtype === 'int32' ? new Int32Array(n) : new this.FloatArray(n);
    if (value !== 0) data.fill(value);
    return this.wrap(data, shape);
  }

  read(buffer: BackendBuffer): Promise<TensorData> {
    try {
      return Promise.resolve(this.readSync(buffer));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** A fresh host copy: `Float32Array` for float32 tensors (rounded in float64 mode), `Int32Array` for int32. */
  readSync(buffer: BackendBuffer): TensorData {
    const data = this.get(buffer, 'read').data;
    return data instanceof Float64Array ? new Float32Array(data) : data.slice();
  }

  /**
   * Float64 mode only: the values of a buffer at full float64 precision (a fresh copy).
   *
   * @example
   * ```ts
   * const oracle = createJsBackend({ precision: 'float64' });
   * oracle.readFloat64(oracle.writeFloat64(new Float64Array([0.1]), [1]))[0]; // 0.1 exactly
   * ```
   */
  readFloat64(buffer: BackendBuffer): Float64Array {
    this.requireFloat64('readFloat64');
    return new Float64Array(this.get(buffer, 'readFloat64').data);
  }

  /**
   * Float64 mode only: a float32-dtype buffer holding `values` without rounding.
   *
   * @example
   * ```ts
   * const oracle = createJsBackend({ precision: 'float64' });
   * const x = oracle.writeFloat64(new Float64Array([1e8, 1, -1e8]), [3]);
   * ```
   */
  writeFloat64(values: Float64Array, shape: Shape): BackendBuffer {
    this.requireFloat64('writeFloat64');
    if (values.length !== sizeOf(shape)) {
      throw new InvalidArgumentError(
        'writeFloat64',
        'values',
        `${values.length} values`,
        `do not fill shape [${shape.join(', ')}]`,
      );
    }
    return this.wrap(new Float64Array(values), shape);
  }

  /** Releases a handle; a second dispose of the same handle is ignored. */
  dispose(buffer: BackendBuffer): void {
    if (!(buffer instanceof JsBuffer) || buffer.disposed) return;
    buffer.disposed = true;
    this.liveBuffers--;
    if (--buffer.storage.refs === 0) this.liveBytes -= buffer.storage.bytes;
  }

  /** Live handles, and the bytes of the distinct typed arrays they hold (storage shared by reshapes counts once). */
  memory(): MemoryInfo {
    return { liveBuffers: this.liveBuffers, liveBytes: this.liveBytes };
  }

  // ---- element-wise ---------------------------------------------------------------------------------

  unary(op: UnaryOp, x: BackendBuffer): BackendBuffer {
    const input = this.get(x, op);
    return this.wrap(unary(op, input), input.shape);
  }

  binary(op: BinaryOp, a: BackendBuffer, b: BackendBuffer): BackendBuffer {
    return this.wrapDense(binary(op, this.get(a, op), this.get(b, op)));
  }

  compare(op: CompareOp, a: BackendBuffer, b: BackendBuffer): BackendBuffer {
    return this.wrapDense(compare(op, this.get(a, op), this.get(b, op)));
  }

  where(cond: BackendBuffer, a: BackendBuffer, b: BackendBuffer): BackendBuffer {
    const c = this.get(cond, 'where');
    if (!(c.data instanceof Int32Array)) throw new UnsupportedOperationError('where', this.name, 'a float condition');
    return this.wrapDense(where({ data: c.data, shape: c.shape }, this.get(a, 'where'), this.get(b, 'where')));
  }

  cast(x: BackendBuffer, dtype: DType): BackendBuffer {
    const input = this.get(x, 'cast');
    return this.wrap(cast(input.data, dtype, this.FloatArray), input.shape);
  }

  // ---- reductions -----------------------------------------------------------------------------------

  reduce(op: ReduceOp, x: BackendBuffer, axes: readonly number[], keepDims: boolean): BackendBuffer {
    return this.wrapDense(reduce(op, this.get(x, op), axes, keepDims));
  }

  argMax(x: BackendBuffer, axis: number): BackendBuffer {
    return this.wrapDense(argMax(this.get(x, 'argMax'), axis));
  }

  // ---- linear algebra -------------------------------------------------------------------------------

  matmul(a: BackendBuffer, b: BackendBuffer, transposeA: boolean, transposeB: boolean): BackendBuffer {
    return this.wrapDense(matmul(this.float(a, 'matmul'), this.float(b, 'matmul'), transposeA, transposeB));
  }

  // ---- movement -------------------------------------------------------------------------------------

  /** Shares the (immutable) typed array of `x`: no copy; each handle is disposed independently. */
  reshape(x: BackendBuffer, shape: Shape): BackendBuffer {
    const src = this.get(x, 'reshape');
    src.storage.refs++;
    this.liveBuffers++;
    return new JsBuffer(src.data, [...shape], src.dtype, src.storage);
  }

  permute(x: BackendBuffer, perm: readonly number[]): BackendBuffer {
    return this.wrapDense(permute(this.get(x, 'permute'), perm));
  }

  slice(x: BackendBuffer, begin: readonly number[], size: readonly number[]): BackendBuffer {
    return this.wrap(slice(this.get(x, 'slice'), begin, size), size);
  }

  concat(xs: readonly BackendBuffer[], axis: number): BackendBuffer {
    return this.wrapDense(
      concat(
        xs.map((x) => this.get(x, 'concat')),
        axis,
      ),
    );
  }

  pad(x: BackendBuffer, paddings: readonly (readonly [number, number])[], value: number): BackendBuffer {
    return this.wrapDense(pad(this.get(x, 'pad'), paddings, value));
  }

  broadcastTo(x: BackendBuffer, shape: Shape): BackendBuffer {
    return this.wrap(broadcastTo(this.get(x, 'broadcastTo'), shape), shape);
  }

  // ---- indexing -------------------------------------------------------------------------------------

  gather(x: BackendBuffer, indices: BackendBuffer, axis: number): BackendBuffer {
    return this.wrapDense(gather(this.get(x, 'gather'), this.indices(indices, 'gather'), axis));
  }

  scatterAdd(updates: BackendBuffer, indices: BackendBuffer, axis: number, size: number): BackendBuffer {
    return this.wrapDense(scatterAdd(this.get(updates, 'scatterAdd'), this.indices(indices, 'scatterAdd'), axis, size));
  }

  // ---- helpers --------------------------------------------------------------------------------------

  /** A new handle owning `data` (counted in {@link JsBackend.memory}). */
  private wrap(data: NumericArray, shape: Shape): JsBuffer {
    this.liveBuffers++;
    this.liveBytes += data.byteLength;
    return new JsBuffer(data, [...shape], dtypeOf(data), { refs: 1, bytes: data.byteLength });
  }

  private wrapDense(result: Dense): JsBuffer {
    return this.wrap(result.data, result.shape);
  }

  private floatOut(data: FloatArray, shape: Shape): JsBuffer {
    return this.wrap(data, shape);
  }

  /** The live JsBuffer behind a handle; throws for disposed or foreign handles. */
  private get(buffer: BackendBuffer, op: string): JsBuffer {
    if (!(buffer instanceof JsBuffer))
      throw new InvalidArgumentError(op, 'buffer', String(buffer), `is not a buffer of backend '${this.name}'`);
    if (buffer.disposed) throw new DisposedTensorError(op);
    return buffer;
  }

  private float(buffer: BackendBuffer, op: string): Dense<FloatArray> {
    const b = this.get(buffer, op);
    if (b.data instanceof Int32Array) throw new UnsupportedOperationError(op, this.name, 'int32 input');
    return { data: b.data, shape: b.shape };
  }

  private indices(buffer: BackendBuffer, op: string): Dense<Int32Array> {
    const b = this.get(buffer, op);
    if (!(b.data instanceof Int32Array)) throw new UnsupportedOperationError(op, this.name, 'float indices');
    return { data: b.data, shape: b.shape };
  }

  private requireFloat64(op: string): void {
    if (this.precision !== 'float64')
      throw new UnsupportedOperationError(op, this.name, "needs createJsBackend({ precision: 'float64' })");
  }
}

/**
 * Creates the pure-TypeScript backend.
 *
 * @example
 * ```ts
 * import { createJsBackend } from '@rlhf/backend-js';
 * import { matmul, tensor } from '@rlhf/core';
 *
 * const backend = createJsBackend();
 * const x = tensor(backend, [1, 2, 3, 4], [2, 2]);
 * console.log(await matmul(x, x).data()); // Float32Array [7, 10, 15, 22]
 *
 * const oracle = createJsBackend({ precision: 'float64' }); // float64 math for gradient checks
 * ```
 */
export function createJsBackend(options: JsBackendOptions = {}): JsBackend {
  return new JsBackend(options);
}
