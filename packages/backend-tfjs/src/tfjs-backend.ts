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
} from '@rlhf/core';
import { isWebGLContextLost } from './context-loss.js';
import { binaryKernel, castKernel, compareKernel, unaryKernel, whereKernel } from './elementwise.js';
import {
  adamwKernel,
  geluKernel,
  layerNormKernel,
  logSoftmaxKernel,
  rmsNormKernel,
  rotaryKernel,
  siluKernel,
  softmaxKernel,
} from './fused.js';
import { gatherKernel, scatterAddKernel } from './indexing.js';
import { matmulKernel } from './matmul.js';
import { type NanQuirks, probeNanQuirks } from './nan-quirks.js';
import { argMaxKernel, reduceKernel } from './reduce.js';
import { TfjsBuffer } from './tfjs-buffer.js';
import { TfjsUnsupportedDTypeError, WebGLContextLostError } from './tfjs-errors.js';
import type { Tfjs, TfTensor } from './tfjs-types.js';

/** tfjs backends whose `dataSync` works (tfjs's webgpu backend cannot read synchronously). */
const NO_SYNC_READ = new Set(['webgpu']);

/** tfjs's message for an out-of-range gather index (its cpu kernel checks; others do not). */
const GATHER_RANGE = /index value (-?\d+) is not in \[0, (-?\d+)\]/;

/**
 * The backend specification on TensorFlow.js kernels (`@tensorflow/tfjs-core` ops), on whichever tfjs
 * backend is active: `cpu` or `wasm` in Node, `webgl` or `webgpu` in browsers. Each buffer owns one tfjs
 * tensor; every intermediate tensor of a composed kernel is freed by `tf.tidy`, so `tf.memory().numTensors`
 * equals this backend's live buffers (plus whatever the user holds). Create it with
 * {@link createTfjsBackend}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * const backend = await createTfjsBackend({ tf, backendName: 'cpu' });
 * const x = backend.write(new Float32Array([1, 2, 3]), [3], 'float32');
 * backend.readSync(backend.unary('square', x)); // Float32Array [1, 4, 9]
 * ```
 */
export class TfjsBackend implements TensorBackend {
  readonly specificationVersion = SPECIFICATION_VERSION;
  readonly name = 'tfjs';
  readonly capabilities: BackendCapabilities;
  /** Fused kernels, as arrow functions: core may call them detached from the backend. */
  readonly fused: Required<FusedKernels> = {
    softmax: (x) => this.float1('softmax', x, (t) => softmaxKernel(this.tf, t)),
    logSoftmax: (x) => this.float1('logSoftmax', x, (t) => logSoftmaxKernel(this.tf, t)),
    rmsNorm: (x, weight, eps) =>
      this.run('rmsNorm', () =>
        this.wrap(rmsNormKernel(this.tf, this.get(x, 'rmsNorm'), this.get(weight, 'rmsNorm'), eps)),
      ),
    layerNorm: (x, weight, bias, eps) =>
      this.run('layerNorm', () =>
        this.wrap(
          layerNormKernel(
            this.tf,
            this.get(x, 'layerNorm'),
            this.get(weight, 'layerNorm'),
            this.get(bias, 'layerNorm'),
            eps,
          ),
        ),
      ),
    rotary: (x, cos, sin) =>
      this.run('rotary', () =>
        this.wrap(rotaryKernel(this.tf, this.get(x, 'rotary'), this.get(cos, 'rotary'), this.get(sin, 'rotary'))),
      ),
    gelu: (x) => this.float1('gelu', x, (t) => geluKernel(this.tf, t)),
    silu: (x) => this.float1('silu', x, (t) => siluKernel(this.tf, t)),
    adamw: (param: BackendBuffer, grad: BackendBuffer, m: BackendBuffer, v: BackendBuffer, hyper: AdamWHyper) =>
      this.run('adamw', () => {
        const out = adamwKernel(
          this.tf,
          this.get(param, 'adamw'),
          this.get(grad, 'adamw'),
          this.get(m, 'adamw'),
          this.get(v, 'adamw'),
          hyper,
        );
        return [this.wrap(out[0]), this.wrap(out[1]), this.wrap(out[2])] as [
          BackendBuffer,
          BackendBuffer,
          BackendBuffer,
        ];
      }),
  };
  private liveBuffers = 0;
  private liveBytes = 0;
  private readonly quirks: NanQuirks;

  /**
   * Creates a backend on a loaded tfjs namespace and its active backend, probing that backend's NaN quirks
   * once; prefer `createTfjsBackend`, which loads and activates the tfjs backend first.
   *
   * @param tf - the TensorFlow.js namespace to compute with.
   * @param tfjsBackend - the tfjs backend active when this backend was created (`'cpu'`, `'wasm'`, ...).
   */
  constructor(
    /** The TensorFlow.js namespace this backend computes with. */
    readonly tf: Tfjs,
    /** The tfjs backend it runs on (`'cpu'`, `'wasm'`, `'webgl'`, `'webgpu'`, ...). */
    readonly tfjsBackend: string,
  ) {
    this.quirks = probeNanQuirks(tf);
    this.capabilities = {
      dtypes: ['float32', 'int32'],
      syncRead: !NO_SYNC_READ.has(tfjsBackend),
      fused: ['softmax', 'logSoftmax', 'rmsNorm', 'layerNorm', 'rotary', 'gelu', 'silu', 'adamw'],
    };
    if (this.capabilities.syncRead) this.readSync = (buffer) => this.readSyncImpl(buffer);
  }

  /** Synchronous read (tfjs's `dataSync`); absent on tfjs's webgpu backend. */
  readSync?: (buffer: BackendBuffer) => TensorData;

  // ---- storage --------------------------------------------------------------------------------------

  write(values: TensorData, shape: Shape, dtype: DType): BackendBuffer {
    this.checkDType('write', dtype);
    const size = shape.reduce((n, d) => n * d, 1);
    if (values.length !== size) {
      throw new InvalidArgumentError(
        'write',
        'values',
        `${values.length} values`,
        `do not fill shape [${shape.join(', ')}]`,
      );
    }
    // A copy: tfjs's cpu backend keeps the very array it is given.
    const copy = dtype === 'int32' ? new Int32Array(values) : new Float32Array(values);
    return this.run('write', () => this.wrap(this.tf.tensor(copy, [...shape], dtype)));
  }

  fill(shape: Shape, value: number, dtype: DType): BackendBuffer {
    this.checkDType('fill', dtype);
    return this.run('fill', () => this.wrap(this.tf.fill([...shape], value, dtype)));
  }

  async read(buffer: BackendBuffer): Promise<TensorData> {
    const t = this.get(buffer, 'read');
    this.checkContext('read');
    let data: Awaited<ReturnType<TfTensor['data']>>;
    try {
      data = await t.data();
    } catch (error) {
      throw this.translate('read', error);
    }
    this.checkContext('read');
    return this.hostCopy(data, t.dtype);
  }

  private readSyncImpl(buffer: BackendBuffer): TensorData {
    const t = this.get(buffer, 'readSync');
    this.checkContext('readSync');
    const data = this.run('readSync', () => t.dataSync());
    this.checkContext('readSync');
    return this.hostCopy(data, t.dtype);
  }

  /** Releases a handle and its tfjs tensor; a second dispose of the same handle is ignored. */
  dispose(buffer: BackendBuffer): void {
    if (!(buffer instanceof TfjsBuffer) || buffer.owner !== this || buffer.disposed) return;
    buffer.disposed = true;
    this.liveBuffers--;
    this.liveBytes -= buffer.bytes;
    buffer.tensor.dispose();
  }

  /** Live handles and their bytes (4 per element; storage shared by reshapes counts once per handle). */
  memory(): MemoryInfo {
    return { liveBuffers: this.liveBuffers, liveBytes: this.liveBytes };
  }

  // ---- element-wise ---------------------------------------------------------------------------------

  unary(op: UnaryOp, x: BackendBuffer): BackendBuffer {
    return this.run(op, () => this.wrap(unaryKernel(this.tf, op, this.get(x, op), this.quirks)));
  }

  binary(op: BinaryOp, a: BackendBuffer, b: BackendBuffer): BackendBuffer {
    return this.run(op, () => this.wrap(binaryKernel(this.tf, op, this.get(a, op), this.get(b, op), this.quirks)));
  }

  compare(op: CompareOp, a: BackendBuffer, b: BackendBuffer): BackendBuffer {
    return this.run(op, () => this.wrap(compareKernel(this.tf, op, this.get(a, op), this.get(b, op))));
  }

  where(cond: BackendBuffer, a: BackendBuffer, b: BackendBuffer): BackendBuffer {
    return this.run('where', () =>
      this.wrap(whereKernel(this.tf, this.get(cond, 'where'), this.get(a, 'where'), this.get(b, 'where'))),
    );
  }

  cast(x: BackendBuffer, dtype: DType): BackendBuffer {
    this.checkDType('cast', dtype);
    return this.run('cast', () => this.wrap(castKernel(this.tf, this.get(x, 'cast'), dtype)));
  }

  // ---- reductions -----------------------------------------------------------------------------------

  reduce(op: ReduceOp, x: BackendBuffer, axes: readonly number[], keepDims: boolean): BackendBuffer {
    return this.run(op, () =>
      this.wrap(reduceKernel(this.tf, op, this.get(x, op), axes, keepDims, this.quirks.reduce)),
    );
  }

  argMax(x: BackendBuffer, axis: number): BackendBuffer {
    return this.run('argMax', () => this.wrap(argMaxKernel(this.tf, this.get(x, 'argMax'), axis, this.quirks.argMax)));
  }

  // ---- linear algebra -------------------------------------------------------------------------------

  /** Batched matmul on tfjs (see `matmulKernel`: 2-D untransposed products on tfjs's wasm backend). */
  matmul(a: BackendBuffer, b: BackendBuffer, transposeA: boolean, transposeB: boolean): BackendBuffer {
    return this.run('matmul', () =>
      this.wrap(
        matmulKernel(
          this.tf,
          this.get(a, 'matmul'),
          this.get(b, 'matmul'),
          transposeA,
          transposeB,
          this.tfjsBackend === 'wasm',
        ),
      ),
    );
  }

  // ---- movement -------------------------------------------------------------------------------------

  /** tfjs's `reshape`: a new tensor on the same storage (tfjs reference-counts it). */
  reshape(x: BackendBuffer, shape: Shape): BackendBuffer {
    return this.run('reshape', () => this.wrap(this.tf.reshape(this.get(x, 'reshape'), [...shape])));
  }

  permute(x: BackendBuffer, perm: readonly number[]): BackendBuffer {
    return this.run('permute', () => this.wrap(this.tf.transpose(this.get(x, 'permute'), [...perm])));
  }

  slice(x: BackendBuffer, begin: readonly number[], size: readonly number[]): BackendBuffer {
    return this.run('slice', () => {
      const t = this.get(x, 'slice');
      if (size.includes(0)) return this.wrap(this.tf.zeros([...size], t.dtype as DType));
      return this.wrap(this.tf.slice(t, [...begin], [...size]));
    });
  }

  concat(xs: readonly BackendBuffer[], axis: number): BackendBuffer {
    return this.run('concat', () =>
      this.wrap(
        this.tf.concat(
          xs.map((x) => this.get(x, 'concat')),
          axis,
        ),
      ),
    );
  }

  pad(x: BackendBuffer, paddings: readonly (readonly [number, number])[], value: number): BackendBuffer {
    return this.run('pad', () =>
      this.wrap(
        this.tf.pad(
          this.get(x, 'pad'),
          paddings.map(([b, a]) => [b, a] as [number, number]),
          value,
        ),
      ),
    );
  }

  broadcastTo(x: BackendBuffer, shape: Shape): BackendBuffer {
    return this.run('broadcastTo', () => {
      const t = this.get(x, 'broadcastTo');
      if (shape.includes(0)) return this.wrap(this.tf.zeros([...shape], t.dtype as DType));
      return this.wrap(this.tf.broadcastTo(t, [...shape]));
    });
  }

  // ---- indexing -------------------------------------------------------------------------------------

  gather(x: BackendBuffer, indices: BackendBuffer, axis: number): BackendBuffer {
    return this.run('gather', () =>
      this.wrap(gatherKernel(this.tf, this.get(x, 'gather'), this.get(indices, 'gather'), axis)),
    );
  }

  scatterAdd(updates: BackendBuffer, indices: BackendBuffer, axis: number, size: number): BackendBuffer {
    return this.run('scatterAdd', () =>
      this.wrap(
        scatterAddKernel(
          this.tf,
          this.get(updates, 'scatterAdd'),
          this.get(indices, 'scatterAdd'),
          axis,
          size,
          this.tfjsBackend === 'webgl',
        ),
      ),
    );
  }

  // ---- helpers --------------------------------------------------------------------------------------

  /** A new handle owning `t`. A tensor already owned by an input (tfjs returns some inputs as they are) is cloned. */
  private wrap(t: TfTensor): TfjsBuffer {
    if (t.dtype !== 'float32' && t.dtype !== 'int32') {
      t.dispose();
      throw new TfjsUnsupportedDTypeError('(result)', t.dtype);
    }
    const bytes = t.size * 4;
    this.liveBuffers++;
    this.liveBytes += bytes;
    return new TfjsBuffer(t, this, t.dtype, bytes);
  }

  private float1(op: string, x: BackendBuffer, kernel: (t: TfTensor) => TfTensor): BackendBuffer {
    return this.run(op, () => this.wrap(kernel(this.get(x, op))));
  }

  /** The live tfjs tensor behind a handle of this backend; throws for disposed or foreign handles. */
  private get(buffer: BackendBuffer, op: string): TfTensor {
    if (!(buffer instanceof TfjsBuffer) || buffer.owner !== this)
      throw new InvalidArgumentError(op, 'buffer', String(buffer), `is not a buffer of this '${this.name}' backend`);
    if (buffer.disposed) throw new DisposedTensorError(op);
    return buffer.tensor;
  }

  private checkDType(op: string, dtype: string): void {
    if (dtype !== 'float32' && dtype !== 'int32') throw new TfjsUnsupportedDTypeError(op, dtype);
  }

  /** Throws {@link WebGLContextLostError} when the active tfjs backend is a webgl one whose context is lost. */
  private checkContext(op: string): void {
    if (isWebGLContextLost(this.tf.backend())) throw new WebGLContextLostError(op);
  }

  /** Runs a kernel, translating tfjs's errors into the specification's (range errors, context loss). */
  private run<T>(op: string, kernel: () => T): T {
    try {
      return kernel();
    } catch (error) {
      throw this.translate(op, error);
    }
  }

  private translate(op: string, error: unknown): unknown {
    if (error instanceof Error && !(error instanceof RangeError)) {
      const range = GATHER_RANGE.exec(error.message);
      if (range) return new RangeError(`${op}: index ${range[1]} is out of range [0, ${range[2]}]`);
    }
    try {
      if (isWebGLContextLost(this.tf.backend())) return new WebGLContextLostError(op, { cause: error });
    } catch {
      // no active backend: keep the original error
    }
    return error;
  }

  private hostCopy(data: ArrayLike<number> | unknown, dtype: string): TensorData {
    if (dtype === 'int32') return new Int32Array(data as ArrayLike<number>);
    return new Float32Array(data as ArrayLike<number>);
  }
}
