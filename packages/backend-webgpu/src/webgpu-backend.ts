/// <reference types="@webgpu/types" />
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
import { Executor, type ExecutorStats, USAGE } from './executor.js';
import { type GpuStorage, GpuTensor } from './gpu-tensor.js';
import { adamwSource } from './kernels/adamw.js';
import { argMaxSource } from './kernels/arg-max.js';
import {
  BINARY_F32,
  BINARY_I32,
  CAST_F32_TO_I32,
  compareExpr,
  type ElementwiseSpec,
  elementwiseSource,
  UNARY_F32,
  UNARY_I32,
} from './kernels/elementwise.js';
import {
  gatherSource,
  scatterCountSource,
  scatterFillSource,
  scatterOffsetsSource,
  scatterSumSource,
} from './kernels/indexing.js';
import { matmulSource, TILING_64, TILING_128 } from './kernels/matmul.js';
import { reduceSource } from './kernels/reduce.js';
import { rotarySource } from './kernels/rotary.js';
import { type RowKernel, rowKernelSource } from './kernels/row-kernels.js';
import { stridedCopySource, stridesOf } from './kernels/strided-copy.js';
import { grid, UniformWords, WG, wgslType } from './kernels/wgsl-prelude.js';
import { GpuOutOfMemoryError, WebGpuUnsupportedError } from './webgpu-errors.js';

/** Largest rank the index arithmetic of the kernels carries (uniform arrays of 8). */
const MAX_RANK = 8;
const STORAGE_USAGE = USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST;
const BIG = 0x7fffffff;

/** Settings of a {@link WebGpuBackend} beyond the device. */
export interface WebGpuBackendSettings {
  /** Kernels recorded before a batch is submitted without waiting for a read (default 1024). */
  maxBatch?: number;
  /** Bytes of freed buffers the pool keeps for reuse (default 1 GiB). */
  maxPooledBytes?: number;
  /**
   * Bytes the backend's live tensors may hold; an allocation beyond it throws `GpuOutOfMemoryError`
   * (default: no limit of its own; the device's buffer limits still apply).
   */
  memoryLimitBytes?: number;
  /**
   * Matmuls whose output has at least this many 128 × 128 tiles use the 128-tile kernel (8 × 8 outputs per
   * invocation); smaller ones the 64-tile kernel, which keeps more workgroups for a large GPU to run
   * (default 256).
   */
  largeTileMinTiles?: number;
  /**
   * Whether matmul reads an operand with vec4 loads when its contiguous axis is a multiple of 4 (default
   * true; off, every load is scalar — for comparisons).
   */
  vectorLoads?: boolean;
  /** Adapter description, for {@link WebGpuBackend.adapterInfo}. */
  adapterInfo?: string;
}

function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Broadcast strides of `shape` against `out` (right-aligned; stride 0 on broadcast or missing axes). */
function broadcastStrides(shape: Shape, out: Shape): number[] {
  const strides = stridesOf(shape);
  const offset = out.length - shape.length;
  return out.map((d, i) => {
    const j = i - offset;
    if (j < 0) return 0;
    return shape[j] === 1 && d !== 1 ? 0 : (strides[j] as number);
  });
}

function broadcastShape(shapes: readonly Shape[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = rank - s.length + i;
      const d = s[i] as number;
      if (d !== 1) out[j] = d;
      else if (out[j] === undefined) out[j] = 1;
    }
  }
  // a size-0 dimension wins over 1
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) if (s[i] === 0) out[rank - s.length + i] = 0;
  }
  return out;
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Core's backend specification on WebGPU: every primitive and fused kernel as a hand-written WGSL compute
 * shader. Kernels are recorded into one command encoder and submitted in batches; buffers come from a
 * pool keyed by size class; reads are asynchronous (`syncRead` is false); each kernel's shapes and scalars
 * are packed into one uniform slot; pipelines are compiled once per kernel signature.
 *
 * @example
 * ```ts
 * const backend = await createWebGpuBackend();
 * const x = tensor(backend, [1, 2, 3, 4], [2, 2]);
 * console.log(await matmul(x, x).data()); // Float32Array [7, 10, 15, 22]
 * ```
 */
export class WebGpuBackend implements TensorBackend {
  readonly specificationVersion = SPECIFICATION_VERSION;
  readonly name = 'webgpu';
  readonly capabilities: BackendCapabilities = {
    dtypes: ['float32', 'int32'],
    syncRead: false,
    fused: ['softmax', 'logSoftmax', 'rmsNorm', 'layerNorm', 'rotary', 'gelu', 'silu', 'adamw'],
  };
  /** Fused kernels, as arrow functions: core may call them detached from the backend. */
  readonly fused: Required<FusedKernels> = {
    softmax: (x) => this.row('softmax', x, [], 0),
    logSoftmax: (x) => this.row('logSoftmax', x, [], 0),
    rmsNorm: (x, weight, eps) => this.row('rmsNorm', x, [weight], eps),
    layerNorm: (x, weight, bias, eps) => this.row('layerNorm', x, [weight, bias], eps),
    rotary: (x, cos, sin) => this.rotary(x, cos, sin),
    gelu: (x) =>
      this.elementwise(
        { name: 'gelu', inputs: ['f32'], output: 'f32', expr: 'gelu(a0)' },
        [this.float(x, 'gelu')],
        'float32',
      ),
    silu: (x) =>
      this.elementwise(
        { name: 'silu', inputs: ['f32'], output: 'f32', expr: 'silu(a0)' },
        [this.float(x, 'silu')],
        'float32',
      ),
    adamw: (param, grad, m, v, hyper) => this.adamw(param, grad, m, v, hyper),
  };
  /** Description of the adapter the device came from. */
  readonly adapterInfo: string;
  private readonly exec: Executor;
  private liveBuffers = 0;
  private liveBytes = 0;
  private readonly memoryLimit: number;
  /** Whether one AdamW kernel may bind seven storage buffers. */
  private readonly wideAdamw: boolean;
  private readonly largeTileMinTiles: number;
  private readonly vectorLoads: boolean;

  /** Creates a backend on an acquired `GPUDevice`; prefer `createWebGpuBackend`, which finds the device. */
  constructor(
    /** The device every kernel runs on. */
    readonly device: GPUDevice,
    settings: WebGpuBackendSettings = {},
  ) {
    this.exec = new Executor(device, {
      maxBatch: settings.maxBatch ?? 1024,
      maxPooledBytes: settings.maxPooledBytes ?? 2 ** 30,
    });
    this.memoryLimit = settings.memoryLimitBytes ?? Number.POSITIVE_INFINITY;
    this.adapterInfo = settings.adapterInfo ?? '(device given)';
    this.wideAdamw = device.limits.maxStorageBuffersPerShaderStage >= 7;
    this.largeTileMinTiles = settings.largeTileMinTiles ?? 256;
    this.vectorLoads = settings.vectorLoads ?? true;
    if (device.limits.maxComputeInvocationsPerWorkgroup < 256) {
      throw new WebGpuUnsupportedError(
        'maxComputeInvocationsPerWorkgroup',
        `the kernels need 256, the device was created with ${device.limits.maxComputeInvocationsPerWorkgroup}`,
      );
    }
  }

  /** Kernel dispatches, submissions, compiled pipelines and created device buffers so far. */
  stats(): ExecutorStats {
    return this.exec.stats();
  }

  /** Submits recorded work and waits until the device has finished it (for timing). */
  sync(): Promise<void> {
    return this.exec.sync();
  }

  /** Destroys the pooled (free) device buffers; live tensors are untouched. */
  trimPool(): void {
    this.exec.pool.trim();
  }

  // ---- storage --------------------------------------------------------------------------------------

  write(values: TensorData, shape: Shape, dtype: DType): BackendBuffer {
    const size = sizeOf(shape);
    if (values.length !== size) {
      throw new InvalidArgumentError(
        'write',
        'values',
        `${values.length} values`,
        `do not fill shape [${shape.join(', ')}]`,
      );
    }
    const t = this.alloc(shape, dtype);
    const data =
      dtype === 'int32'
        ? values instanceof Int32Array
          ? values
          : Int32Array.from(values)
        : values instanceof Float32Array
          ? values
          : Float32Array.from(values);
    this.exec.write(t.storage.buffer, data);
    return t;
  }

  fill(shape: Shape, value: number, dtype: DType): BackendBuffer {
    const t = this.alloc(shape, dtype);
    if (t.size === 0) return t;
    const u = new UniformWords().u(0, t.size);
    if (dtype === 'int32') u.i(2, value);
    else u.f(2, value);
    this.launch1d('fill', () => fillSource(), [t.storage.buffer], u, t.size);
    return t;
  }

  async read(buffer: BackendBuffer): Promise<TensorData> {
    const t = this.get(buffer, 'read');
    const bytes = await this.exec.read(t.storage.buffer, t.size * 4);
    return t.dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes);
  }

  /** Releases a handle (its storage returns to the pool with the last handle); a second dispose is ignored. */
  dispose(buffer: BackendBuffer): void {
    if (!(buffer instanceof GpuTensor) || buffer.owner !== this || buffer.disposed) return;
    buffer.disposed = true;
    this.liveBuffers--;
    if (--buffer.storage.refs === 0) {
      this.liveBytes -= buffer.storage.bytes;
      this.exec.pool.release(buffer.storage.buffer);
    }
  }

  /** Live handles, and the bytes of the tensors' values (storage shared by reshapes counts once). */
  memory(): MemoryInfo {
    return { liveBuffers: this.liveBuffers, liveBytes: this.liveBytes };
  }

  // ---- element-wise ---------------------------------------------------------------------------------

  unary(op: UnaryOp, x: BackendBuffer): BackendBuffer {
    const t = this.get(x, op);
    if (t.dtype === 'int32') {
      const expr = UNARY_I32[op];
      if (!expr) throw new UnsupportedOperationError(op, this.name, 'int32 input');
      return this.elementwise({ name: `${op}:i32`, inputs: ['i32'], output: 'i32', expr }, [t], 'int32');
    }
    return this.elementwise({ name: `${op}:f32`, inputs: ['f32'], output: 'f32', expr: UNARY_F32[op] }, [t], 'float32');
  }

  binary(op: BinaryOp, a: BackendBuffer, b: BackendBuffer): BackendBuffer {
    const ta = this.get(a, op);
    const tb = this.get(b, op);
    if (ta.dtype === 'int32') {
      const expr = BINARY_I32[op];
      if (!expr) throw new UnsupportedOperationError(op, this.name, 'int32 inputs');
      return this.elementwise({ name: `${op}:i32`, inputs: ['i32', 'i32'], output: 'i32', expr }, [ta, tb], 'int32');
    }
    return this.elementwise(
      { name: `${op}:f32`, inputs: ['f32', 'f32'], output: 'f32', expr: BINARY_F32[op] },
      [ta, tb],
      'float32',
    );
  }

  compare(op: CompareOp, a: BackendBuffer, b: BackendBuffer): BackendBuffer {
    const ta = this.get(a, op);
    const tb = this.get(b, op);
    const type = wgslType(ta.dtype);
    return this.elementwise(
      { name: `${op}:${type}`, inputs: [type, type], output: 'i32', expr: compareExpr(op, type === 'f32') },
      [ta, tb],
      'int32',
    );
  }

  where(cond: BackendBuffer, a: BackendBuffer, b: BackendBuffer): BackendBuffer {
    const c = this.get(cond, 'where');
    if (c.dtype !== 'int32') throw new UnsupportedOperationError('where', this.name, 'a float condition');
    const ta = this.get(a, 'where');
    const tb = this.get(b, 'where');
    return this.elementwise(
      { name: 'where', inputs: ['i32', 'u32', 'u32'], output: 'u32', expr: 'select(a2, a1, a0 != 0)' },
      [c, ta, tb],
      ta.dtype,
    );
  }

  cast(x: BackendBuffer, dtype: DType): BackendBuffer {
    const t = this.get(x, 'cast');
    if (t.dtype === dtype) return this.copy(t);
    if (dtype === 'int32') {
      return this.elementwise(
        { name: 'cast:f32>i32', inputs: ['f32'], output: 'i32', expr: CAST_F32_TO_I32 },
        [t],
        'int32',
      );
    }
    return this.elementwise({ name: 'cast:i32>f32', inputs: ['i32'], output: 'f32', expr: 'f32(a0)' }, [t], 'float32');
  }

  // ---- reductions -----------------------------------------------------------------------------------

  reduce(op: ReduceOp, x: BackendBuffer, axes: readonly number[], keepDims: boolean): BackendBuffer {
    const t = this.get(x, op);
    if (axes.length === 0) return this.copy(t);
    const strides = stridesOf(t.shape);
    const kept: number[] = [];
    const keptStrides: number[] = [];
    const red: number[] = [];
    const redStrides: number[] = [];
    t.shape.forEach((d, i) => {
      if (axes.includes(i)) {
        red.push(d);
        redStrides.push(strides[i] as number);
      } else {
        kept.push(d);
        keptStrides.push(strides[i] as number);
      }
    });
    const outShape = keepDims ? t.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : kept;
    const out = this.alloc(outShape, t.dtype);
    const outputs = out.size;
    if (outputs === 0) return out;
    const redCount = sizeOf(red);
    const u = new UniformWords().u(0, outputs).u(2, redCount);
    u.list(8, kept).list(16, keptStrides).list(24, red).list(32, redStrides);
    const type = wgslType(t.dtype);
    const perWorkgroup = redCount > 64;
    const key = `reduce:${op}:${type}:${kept.length}:${red.length}:${perWorkgroup}`;
    const source = () => reduceSource(op, type, kept.length, red.length, perWorkgroup);
    if (perWorkgroup) this.launchRows(key, source, [t.storage.buffer, out.storage.buffer], u, outputs);
    else this.launch1d(key, source, [t.storage.buffer, out.storage.buffer], u, outputs);
    return out;
  }

  argMax(x: BackendBuffer, axis: number): BackendBuffer {
    const t = this.float(x, 'argMax');
    const n = t.shape[axis] as number;
    const inner = sizeOf(t.shape.slice(axis + 1));
    const out = this.alloc(
      t.shape.filter((_, i) => i !== axis),
      'int32',
    );
    if (out.size === 0) return out;
    const u = new UniformWords().u(0, out.size).u(2, n).u(3, inner);
    const perWorkgroup = n > 64;
    const source = () => argMaxSource(perWorkgroup);
    const buffers = [t.storage.buffer, out.storage.buffer];
    if (perWorkgroup) this.launchRows(`argMax:wg`, source, buffers, u, out.size);
    else this.launch1d('argMax:thread', source, buffers, u, out.size);
    return out;
  }

  // ---- linear algebra -------------------------------------------------------------------------------

  matmul(a: BackendBuffer, b: BackendBuffer, transposeA: boolean, transposeB: boolean): BackendBuffer {
    const ta = this.float(a, 'matmul');
    const tb = this.float(b, 'matmul');
    const ra = ta.shape.length;
    const rb = tb.shape.length;
    const M = ta.shape[transposeA ? ra - 1 : ra - 2] as number;
    const K = ta.shape[transposeA ? ra - 2 : ra - 1] as number;
    const N = tb.shape[transposeB ? rb - 2 : rb - 1] as number;
    const batchA = ta.shape.slice(0, -2);
    const batchB = tb.shape.slice(0, -2);
    const batch = broadcastShape([batchA, batchB]);
    const out = this.alloc([...batch, M, N], 'float32');
    const batches = sizeOf(batch);
    if (out.size === 0) return out;
    if (K === 0) {
      this.fillInto(out, 0);
      return out;
    }
    if (batches > 65535) throw new WebGpuUnsupportedError('matmul batches', `${batches} batches, at most 65535`);
    if (batch.length > MAX_RANK)
      throw new WebGpuUnsupportedError('rank', `matmul batch rank ${batch.length} > ${MAX_RANK}`);
    const sa = broadcastStrides(batchA, batch).map((s) => s * M * K);
    const sb = broadcastStrides(batchB, batch).map((s) => s * K * N);
    const u = new UniformWords().u(0, M).u(1, N).u(2, K);
    u.list(8, batch).list(16, sa).list(24, sb);
    const large = Math.ceil(M / 128) * Math.ceil(N / 128) * batches >= this.largeTileMinTiles;
    const tiling = large ? TILING_128 : TILING_64;
    // vec4 loads along an operand's contiguous axis when its length is a multiple of 4
    const vectorA = this.vectorLoads && (transposeA ? M : K) % 4 === 0;
    const vectorB = this.vectorLoads && (transposeB ? K : N) % 4 === 0;
    this.exec.dispatch(
      `matmul:${transposeA}:${transposeB}:${batch.length}:${tiling.tile}:${vectorA}:${vectorB}`,
      () => matmulSource(transposeA, transposeB, batch.length, tiling, vectorA, vectorB),
      [ta.storage.buffer, tb.storage.buffer, out.storage.buffer],
      u.words,
      [Math.ceil(N / tiling.tile), Math.ceil(M / tiling.tile), batches],
    );
    return out;
  }

  // ---- movement -------------------------------------------------------------------------------------

  /** Shares the storage of `x` (no copy); each handle is disposed independently. */
  reshape(x: BackendBuffer, shape: Shape): BackendBuffer {
    const t = this.get(x, 'reshape');
    t.storage.refs++;
    this.liveBuffers++;
    return new GpuTensor(t.storage, [...shape], t.dtype, t.size, this);
  }

  permute(x: BackendBuffer, perm: readonly number[]): BackendBuffer {
    const t = this.get(x, 'permute');
    const strides = stridesOf(t.shape);
    const shape = perm.map((p) => t.shape[p] as number);
    return this.strided(t, shape, {
      inStrides: perm.map((p) => strides[p] as number),
    });
  }

  slice(x: BackendBuffer, begin: readonly number[], size: readonly number[]): BackendBuffer {
    const t = this.get(x, 'slice');
    return this.strided(t, [...size], { inStrides: stridesOf(t.shape), start: [...begin] });
  }

  concat(xs: readonly BackendBuffer[], axis: number): BackendBuffer {
    const ts = xs.map((x) => this.get(x, 'concat'));
    const first = ts[0] as GpuTensor;
    const shape = [...first.shape];
    shape[axis] = ts.reduce((s, t) => s + (t.shape[axis] as number), 0);
    const out = this.alloc(shape, first.dtype);
    const outStrides = stridesOf(shape);
    let offset = 0;
    for (const t of ts) {
      this.stridedInto(t, out, t.shape, {
        inStrides: stridesOf(t.shape),
        outStrides,
        outBase: offset * (outStrides[axis] as number),
      });
      offset += t.shape[axis] as number;
    }
    return out;
  }

  pad(x: BackendBuffer, paddings: readonly (readonly [number, number])[], value: number): BackendBuffer {
    const t = this.get(x, 'pad');
    const shape = t.shape.map((d, i) => d + (paddings[i]?.[0] ?? 0) + (paddings[i]?.[1] ?? 0));
    const bits = new UniformWords();
    if (t.dtype === 'int32') bits.i(0, value);
    else bits.f(0, value);
    return this.strided(t, shape, {
      inStrides: stridesOf(t.shape),
      start: paddings.map((p) => -p[0]),
      extent: [...t.shape],
      padBits: bits.words[0] as number,
    });
  }

  broadcastTo(x: BackendBuffer, shape: Shape): BackendBuffer {
    const t = this.get(x, 'broadcastTo');
    return this.strided(t, [...shape], { inStrides: broadcastStrides(t.shape, shape) });
  }

  // ---- indexing -------------------------------------------------------------------------------------

  gather(x: BackendBuffer, indices: BackendBuffer, axis: number): BackendBuffer {
    const t = this.get(x, 'gather');
    const idx = this.indices(indices, 'gather');
    const n = t.shape[axis] as number;
    const B = sizeOf(t.shape.slice(axis + 1));
    const out = this.alloc([...t.shape.slice(0, axis), ...idx.shape, ...t.shape.slice(axis + 1)], t.dtype);
    if (out.size === 0) return out;
    const u = new UniformWords().u(0, out.size).u(2, idx.size).u(3, B).u(4, n);
    this.launch1d('gather', gatherSource, [t.storage.buffer, idx.storage.buffer, out.storage.buffer], u, out.size);
    return out;
  }

  scatterAdd(updates: BackendBuffer, indices: BackendBuffer, axis: number, size: number): BackendBuffer {
    const t = this.get(updates, 'scatterAdd');
    const idx = this.indices(indices, 'scatterAdd');
    const B = sizeOf(t.shape.slice(axis + idx.shape.length));
    const out = this.alloc([...t.shape.slice(0, axis), size, ...t.shape.slice(axis + idx.shape.length)], t.dtype);
    if (out.size === 0) return out;
    const type = wgslType(t.dtype);
    const I = idx.size;
    // scratch buffers from the pool: start offsets (size + 1) and positions (I), returned once recorded
    const offsets = this.scratch((size + 1) * 4);
    const positions = this.scratch(Math.max(I, 1) * 4);
    const perDestination = new UniformWords().u(0, size).u(2, I);
    this.launch1d('scatter:count', scatterCountSource, [idx.storage.buffer, offsets], perDestination, size);
    this.exec.dispatch(
      'scatter:offsets',
      scatterOffsetsSource,
      [offsets],
      new UniformWords().u(0, size).words,
      [1, 1, 1],
    );
    this.launch1d('scatter:fill', scatterFillSource, [idx.storage.buffer, offsets, positions], perDestination, size);
    const u = new UniformWords().u(0, out.size).u(2, I).u(3, B).u(4, size);
    this.launch1d(
      `scatter:sum:${type}`,
      () => scatterSumSource(type),
      [t.storage.buffer, positions, offsets, out.storage.buffer],
      u,
      out.size,
    );
    this.exec.pool.release(offsets);
    this.exec.pool.release(positions);
    return out;
  }

  // ---- fused ----------------------------------------------------------------------------------------

  private row(kind: RowKernel, x: BackendBuffer, params: readonly BackendBuffer[], eps: number): BackendBuffer {
    const t = this.float(x, kind);
    const ps = params.map((p) => this.float(p, kind));
    const out = this.alloc(t.shape, 'float32');
    const D = (t.shape[t.shape.length - 1] ?? 1) as number;
    const rows = D === 0 ? 0 : t.size / D;
    if (rows === 0) return out;
    const u = new UniformWords().u(0, rows).u(2, D).f(3, eps);
    this.launchRows(
      `row:${kind}`,
      () => rowKernelSource(kind),
      [t.storage.buffer, ...ps.map((p) => p.storage.buffer), out.storage.buffer],
      u,
      rows,
    );
    return out;
  }

  private rotary(x: BackendBuffer, cos: BackendBuffer, sin: BackendBuffer): BackendBuffer {
    const t = this.float(x, 'rotary');
    const c = this.float(cos, 'rotary');
    const s = this.float(sin, 'rotary');
    const [, H, T, Dh] = t.shape as [number, number, number, number];
    const out = this.alloc(t.shape, 'float32');
    if (out.size === 0) return out;
    const u = new UniformWords()
      .u(0, out.size)
      .u(2, Dh)
      .u(3, T)
      .u(4, H * T * Dh)
      .u(5, c.shape[0] === 1 ? 0 : T * Dh);
    this.launch1d(
      'rotary',
      rotarySource,
      [t.storage.buffer, c.storage.buffer, s.storage.buffer, out.storage.buffer],
      u,
      out.size,
    );
    return out;
  }

  private adamw(
    param: BackendBuffer,
    grad: BackendBuffer,
    m: BackendBuffer,
    v: BackendBuffer,
    hyper: AdamWHyper,
  ): [BackendBuffer, BackendBuffer, BackendBuffer] {
    const p = this.float(param, 'adamw');
    const g = this.float(grad, 'adamw');
    const tm = this.float(m, 'adamw');
    const tv = this.float(v, 'adamw');
    const { lr, beta1, beta2, eps, weightDecay, step } = hyper;
    const u = new UniformWords()
      .u(0, p.size)
      .f(2, beta1)
      .f(3, beta2)
      .f(4, 1 - lr * weightDecay)
      .f(5, lr / (1 - beta1 ** step))
      .f(6, Math.sqrt(1 - beta2 ** step))
      .f(7, eps);
    if (this.wideAdamw) {
      const outs = [
        this.alloc(p.shape, 'float32'),
        this.alloc(p.shape, 'float32'),
        this.alloc(p.shape, 'float32'),
      ] as const;
      if (p.size > 0) {
        this.launch1d(
          'adamw:wide',
          () => adamwSource(false),
          [p, g, tm, tv, ...outs].map((t) => t.storage.buffer),
          u,
          p.size,
        );
      }
      return [outs[0], outs[1], outs[2]];
    }
    const p2 = this.copy(p);
    const m2 = this.copy(tm);
    const v2 = this.copy(tv);
    if (p.size > 0) {
      this.launch1d(
        'adamw:inplace',
        () => adamwSource(true),
        [p2, g, m2, v2].map((t) => t.storage.buffer),
        u,
        p.size,
      );
    }
    return [p2, m2, v2];
  }

  // ---- helpers --------------------------------------------------------------------------------------

  private elementwise(spec: ElementwiseSpec, inputs: readonly GpuTensor[], dtype: DType): GpuTensor {
    const shape = broadcastShape(inputs.map((t) => t.shape));
    const out = this.alloc(shape, dtype);
    if (out.size === 0) return out;
    const same = inputs.every((t) => sameShape(t.shape, shape));
    if (shape.length > MAX_RANK) throw new WebGpuUnsupportedError('rank', `rank ${shape.length} > ${MAX_RANK}`);
    const u = new UniformWords().u(0, out.size);
    if (!same) {
      u.list(4, shape);
      inputs.forEach((t, k) => {
        u.list(12 + 8 * k, broadcastStrides(t.shape, shape));
      });
    }
    const rank = same ? -1 : shape.length;
    this.launch1d(
      `ew:${spec.name}:${rank}`,
      () => elementwiseSource(spec, rank),
      [...inputs.map((t) => t.storage.buffer), out.storage.buffer],
      u,
      out.size,
    );
    return out;
  }

  private strided(
    t: GpuTensor,
    shape: number[],
    map: { inStrides: number[]; start?: number[]; extent?: number[]; padBits?: number },
  ): GpuTensor {
    const out = this.alloc(shape, t.dtype);
    this.stridedInto(t, out, shape, map);
    return out;
  }

  /** Copies elements of `t` into `out` over the iteration `shape` (see `stridedCopySource`). */
  private stridedInto(
    t: GpuTensor,
    out: GpuTensor,
    shape: Shape,
    map: {
      inStrides: number[];
      start?: number[];
      extent?: number[];
      padBits?: number;
      outStrides?: number[];
      outBase?: number;
    },
  ): void {
    const n = sizeOf(shape);
    if (n === 0) return;
    if (shape.length > MAX_RANK) throw new WebGpuUnsupportedError('rank', `rank ${shape.length} > ${MAX_RANK}`);
    const padded = map.extent !== undefined;
    const stridedOut = map.outStrides !== undefined;
    const u = new UniformWords()
      .u(0, n)
      .u(2, map.padBits ?? 0)
      .u(3, map.outBase ?? 0);
    shape.forEach((d, i) => {
      u.u(4 + i, d)
        .u(12 + i, map.inStrides[i] as number)
        .i(20 + i, map.start?.[i] ?? 0)
        .u(28 + i, map.extent?.[i] ?? BIG)
        .u(36 + i, map.outStrides?.[i] ?? 0);
    });
    this.launch1d(
      `copy:${shape.length}:${padded}:${stridedOut}`,
      () => stridedCopySource(shape.length, padded, stridedOut),
      [t.storage.buffer, out.storage.buffer],
      u,
      n,
    );
  }

  private copy(t: GpuTensor): GpuTensor {
    const out = this.alloc(t.shape, t.dtype);
    if (t.size > 0) this.stridedInto(t, out, [t.size], { inStrides: [1] });
    return out;
  }

  private fillInto(t: GpuTensor, value: number): void {
    const u = new UniformWords().u(0, t.size).f(2, value);
    this.launch1d('fill', () => fillSource(), [t.storage.buffer], u, t.size);
  }

  /** One invocation per element, 256 per workgroup, on a 2-D grid. */
  private launch1d(key: string, source: () => string, buffers: readonly GPUBuffer[], u: UniformWords, n: number): void {
    const g = grid(Math.ceil(n / WG));
    u.u(1, g[0]);
    this.exec.dispatch(key, source, buffers, u.words, g);
  }

  /** One workgroup per row (or per output), on a 2-D grid. */
  private launchRows(
    key: string,
    source: () => string,
    buffers: readonly GPUBuffer[],
    u: UniformWords,
    rows: number,
  ): void {
    const g = grid(rows);
    u.u(1, g[0]);
    this.exec.dispatch(key, source, buffers, u.words, g);
  }

  /**
   * A pooled storage buffer for a kernel's intermediate values (not a tensor: not counted in `memory()`).
   * Release it to the pool right after recording the kernels that use it.
   */
  private scratch(bytes: number): GPUBuffer {
    return this.exec.pool.acquire(Math.max(bytes, 4), STORAGE_USAGE, (sz) =>
      this.exec.createBuffer(sz, STORAGE_USAGE, this.liveBytes),
    );
  }

  /** A new tensor with pooled storage; checks the device's limits and `memoryLimitBytes` first. */
  private alloc(shape: Shape, dtype: DType): GpuTensor {
    this.exec.check();
    const size = sizeOf(shape);
    const bytes = size * 4;
    const limits = this.device.limits;
    if (bytes > limits.maxStorageBufferBindingSize || bytes > limits.maxBufferSize) {
      throw new GpuOutOfMemoryError(
        bytes,
        this.liveBytes,
        `over the device's largest buffer (maxStorageBufferBindingSize ${limits.maxStorageBufferBindingSize}, maxBufferSize ${limits.maxBufferSize})`,
      );
    }
    if (this.liveBytes + bytes > this.memoryLimit) {
      throw new GpuOutOfMemoryError(bytes, this.liveBytes, `over memoryLimitBytes (${this.memoryLimit})`);
    }
    const buffer = this.exec.pool.acquire(Math.max(bytes, 4), STORAGE_USAGE, (sz) =>
      this.exec.createBuffer(sz, STORAGE_USAGE, this.liveBytes),
    );
    const storage: GpuStorage = { buffer, bytes, refs: 1 };
    this.liveBuffers++;
    this.liveBytes += bytes;
    return new GpuTensor(storage, [...shape], dtype, size, this);
  }

  /** The live tensor behind a handle; throws for disposed or foreign handles. */
  private get(buffer: BackendBuffer, op: string): GpuTensor {
    if (!(buffer instanceof GpuTensor) || buffer.owner !== this)
      throw new InvalidArgumentError(op, 'buffer', String(buffer), `is not a buffer of backend '${this.name}'`);
    if (buffer.disposed) throw new DisposedTensorError(op);
    this.exec.check();
    return buffer;
  }

  private float(buffer: BackendBuffer, op: string): GpuTensor {
    const t = this.get(buffer, op);
    if (t.dtype !== 'float32') throw new UnsupportedOperationError(op, this.name, 'int32 input');
    return t;
  }

  private indices(buffer: BackendBuffer, op: string): GpuTensor {
    const t = this.get(buffer, op);
    if (t.dtype !== 'int32') throw new UnsupportedOperationError(op, this.name, 'float indices');
    return t;
  }
}

/** Fill: every word of the output is uniform word 2 (a float's or an int's bits). */
function fillSource(): string {
  return stridedFill;
}

const stridedFill = `struct Uniforms { v: array<vec4<u32>, 16> }
@group(0) @binding(0) var<uniform> u: Uniforms;
fn U(i: u32) -> u32 { return u.v[i >> 2u][i & 3u]; }
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * U(1u) + wid.x) * ${WG}u + lid;
  if (i >= U(0u)) { return; }
  out[i] = U(2u);
}`;
