import { availableParallelism } from 'node:os';
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
  type ReplayCapture,
  type ReplaySupport,
  type Shape,
  SPECIFICATION_VERSION,
  type TensorBackend,
  type TensorData,
  type UnaryOp,
} from '@rlhf/core';
import { adamwConstants } from './emit/emit-fused.js';
import { planGraph } from './graph/graph-plan.js';
import { dynamicSignatureOf, type NodeOp, signatureOf } from './lazy/node-op.js';
import { OrtBuffer, type PendingNode } from './lazy/ort-buffer.js';
import { outputShape } from './lazy/output-shape.js';
import { type ExecutorStats, GraphExecutor } from './runtime/graph-executor.js';
import { OrtReplayCapture } from './runtime/replay-capture.js';
import { validateOnnxRuntimeOptions } from './validate-options.js';

/**
 * Options of {@link createOnnxRuntimeBackend}.
 *
 * @example
 * ```ts
 * const options: OnnxRuntimeBackendOptions = { threads: 2, sessionCacheSize: 32 };
 * ```
 */
export interface OnnxRuntimeBackendOptions {
  /** Threads per kernel (onnxruntime's intra-op pool). @defaultValue the number of CPUs */
  threads?: number;
  /** Compiled graphs kept (least recently used released beyond). @defaultValue 64 */
  sessionCacheSize?: number;
  /** Use onnxruntime's contrib ops (FusedMatMul, SimplifiedLayerNormalization). @defaultValue true */
  contribOps?: boolean;
  /**
   * Let idle pool threads spin-wait for work. Off by default: between runs spinning threads take CPU from
   * the JavaScript thread recording the next step, and on a shared machine they stall each other (a
   * training step measured 1.3 s with spinning against 0.46 s without, on two loaded cores).
   * @defaultValue false
   */
  spinning?: boolean;
  /**
   * Write onnxruntime's profile of every run (one JSON trace per compiled graph, per-kernel times) to
   * files named with this prefix, e.g. `/tmp/ort-profile`; the files are complete once
   * {@link OnnxRuntimeBackend.release} has run. For finding where a step's time goes.
   */
  profileFilePrefix?: string;
  /**
   * Run AdamW updates on the host: one pass per parameter, written over the old parameter and moments
   * when nothing can read them any more, after the graph that computes the gradients. In the graph
   * instead, an update is thirteen element-wise nodes, each a pass over the parameter, and its three
   * outputs are copied out of onnxruntime every step (on the 124M GPT-2 step: ~1.5 GB a step).
   * @defaultValue true
   */
  hostOptimizer?: boolean;
  /**
   * Graphs that write more elements than this (summed over their kernels) allocate with the system
   * allocator instead of onnxruntime's CPU arena. Their fresh blocks then page-fault on every run: on a
   * 2-core AMD EPYC virtual machine the GPT-2 124M step took 9.4–10.5 s so against 4.3–5.0 s with the
   * arena (on a 2-core Intel Xeon, as fast either way). @defaultValue Infinity (the arena for every graph)
   */
  arenaMaxElements?: number;
  /**
   * Graphs that write more elements than this run without onnxruntime's memory pattern (one block per run
   * sized for the whole plan's peak, allocated on top of the arena's own blocks). The GPT-2 124M step
   * (3.0e9 elements) with the arena: peak RSS 5.2 GB with the pattern, 3.6 GB without, at the same speed;
   * the Llama 3.43M step (1.7e8) keeps it. @defaultValue 2^29
   */
  memoryPatternMaxElements?: number;
  /**
   * Run sessions directly on onnxruntime-node's native session object, synchronously, instead of through
   * its public `InferenceSession.run` (which defers the same call with `setImmediate`, checks its
   * arguments and copies the result object: ~30 µs a run, a fifth of a stories260K decoding step). Used
   * only when the native binding has the members it needs (onnxruntime-node is pinned to the version this
   * was written against); otherwise, and with `false`, the public API. @defaultValue true
   */
  directSessions?: boolean;
}

/**
 * The onnxruntime backend: a lazy graph-capturing implementation of core's backend spec on
 * onnxruntime-node's CPU kernels (MLAS, multi-threaded).
 *
 * Kernels never compute: they record a node and return a pending buffer. Reading a buffer
 * (`read`, async — there is no `readSync`) compiles every live pending computation into one ONNX graph,
 * runs it, and materialises all live pending buffers at once. A training step of core (forward,
 * backward, clipping, AdamW, all synchronous) thus becomes one graph, which is compiled once —
 * cached by its structure, with weights, optimizer state, data and scalar constants as inputs — and
 * replayed every step. Disposed pending buffers are computed only when a live one needs them.
 *
 * @example
 * ```ts
 * const backend = createOnnxRuntimeBackend({ threads: 2 });
 * const x = tensor(backend, [1, 2, 3, 4], [2, 2]);
 * console.log(await matmul(x, x).data()); // Float32Array [7, 10, 15, 22]
 * ```
 */
export class OnnxRuntimeBackend implements TensorBackend {
  readonly specificationVersion = SPECIFICATION_VERSION;
  readonly name = 'onnxruntime';
  readonly capabilities: BackendCapabilities = {
    dtypes: ['float32', 'int32'],
    syncRead: false,
    fused: ['softmax', 'logSoftmax', 'rmsNorm', 'layerNorm', 'rotary', 'gelu', 'silu', 'adamw'],
  };
  /** Fused kernels, as arrow functions (core may call them detached from the backend). */
  readonly fused: Required<FusedKernels> = {
    softmax: (x) => this.record1({ kind: 'softmax' }, [this.get(x, 'softmax')]),
    logSoftmax: (x) => this.record1({ kind: 'logSoftmax' }, [this.get(x, 'logSoftmax')]),
    rmsNorm: (x, weight, eps) =>
      this.record1({ kind: 'rmsNorm', eps }, [this.get(x, 'rmsNorm'), this.get(weight, 'rmsNorm')]),
    layerNorm: (x, weight, bias, eps) =>
      this.record1({ kind: 'layerNorm', eps }, [
        this.get(x, 'layerNorm'),
        this.get(weight, 'layerNorm'),
        this.get(bias, 'layerNorm'),
      ]),
    rotary: (x, cos, sin) =>
      this.record1({ kind: 'rotary' }, [this.get(x, 'rotary'), this.get(cos, 'rotary'), this.get(sin, 'rotary')]),
    gelu: (x) => this.record1({ kind: 'gelu' }, [this.get(x, 'gelu')]),
    silu: (x) => this.record1({ kind: 'silu' }, [this.get(x, 'silu')]),
    adamw: (param, grad, m, v, hyper) => {
      const [p, g, m1, v1] = [param, grad, m, v].map((b) => this.get(b, 'adamw')) as [
        OrtBuffer,
        OrtBuffer,
        OrtBuffer,
        OrtBuffer,
      ];
      const k = this.adamwConstants(hyper);
      const scaled = scaledGradient(g);
      return this.record({ kind: 'adamw', decay: hyper.weightDecay !== 0 }, [
        p,
        scaled?.grad ?? g,
        m1,
        v1,
        scaled ? this.scaledAdamwConstants(k, scaled.scale) : k,
      ]) as [OrtBuffer, OrtBuffer, OrtBuffer];
    },
  };
  private readonly executor: GraphExecutor;
  private liveBuffers = 0;
  private liveBytes = 0;
  private lastHyper: { key: string; buffer: OrtBuffer } | null = null;
  private lastScaled: { k: OrtBuffer; s: OrtBuffer; out: OrtBuffer } | null = null;

  /** A backend with its own executor and session cache; see {@link OnnxRuntimeBackendOptions}. */
  constructor(options: OnnxRuntimeBackendOptions = {}) {
    validateOnnxRuntimeOptions(options);
    this.executor = new GraphExecutor({
      threads: options.threads ?? availableParallelism(),
      sessionCacheSize: options.sessionCacheSize ?? 64,
      packScalars: true,
      contribOps: options.contribOps ?? true,
      spinning: options.spinning ?? false,
      hostOptimizer: options.hostOptimizer ?? true,
      arenaMaxElements: options.arenaMaxElements ?? Number.POSITIVE_INFINITY,
      memoryPatternMaxElements: options.memoryPatternMaxElements ?? 2 ** 29,
      directSessions: options.directSessions ?? true,
      ...(options.profileFilePrefix ? { profilePrefix: options.profileFilePrefix } : {}),
    });
  }

  /**
   * Captured computations run again on new inputs without recording their kernels (core's
   * `replayable`): the capture is the plan of the graph from the inputs to the outputs, compiled and
   * cached like any graph; a replay is one node that runs that session.
   */
  readonly replay: ReplaySupport = {
    capture: (inputs, outputs) => this.captureReplay(inputs, outputs),
  };

  /** What the executor has done so far: runs, compilations, cache hits, graph size. */
  stats(): Readonly<ExecutorStats> {
    return { ...this.executor.stats };
  }

  /** Computes every live pending buffer now (a read does this implicitly). */
  flush(): Promise<void> {
    return this.executor.flush();
  }

  /** Releases every compiled session (buffers stay valid; later reads compile again). */
  release(): Promise<void> {
    return this.executor.release();
  }

  // ---- storage --------------------------------------------------------------------------------------

  write(values: TensorData, shape: Shape, dtype: DType): BackendBuffer {
    let n = 1;
    for (const d of shape) n *= d;
    if (values.length !== n) {
      throw new InvalidArgumentError(
        'write',
        'values',
        `${values.length} values`,
        `do not fill shape [${shape.join(', ')}]`,
      );
    }
    return this.leaf(dtype === 'float32' ? new Float32Array(values) : new Int32Array(values), shape, dtype);
  }

  fill(shape: Shape, value: number, dtype: DType): BackendBuffer {
    let n = 1;
    for (const d of shape) n *= d;
    const data = dtype === 'float32' ? new Float32Array(n) : new Int32Array(n);
    if (value !== 0 || Object.is(value, -0)) data.fill(value);
    return this.leaf(data, shape, dtype);
  }

  async read(buffer: BackendBuffer): Promise<TensorData> {
    const b = this.get(buffer, 'read');
    await this.executor.materialise(b);
    if (b.error !== null) throw b.error;
    return (b.data as TensorData).slice();
  }

  /** Releases a handle; a second dispose is ignored. A pending buffer stops being a graph output. */
  dispose(buffer: BackendBuffer): void {
    if (!(buffer instanceof OrtBuffer) || buffer.owner !== this || buffer.disposed) return;
    buffer.disposed = true;
    if (buffer.data !== null && buffer.counted) this.executor.users.remove(buffer.data);
    if (buffer.counted) {
      this.liveBuffers--;
      this.liveBytes -= buffer.bytes;
    }
    this.executor.untrack(buffer);
  }

  /** Live handles (pending ones included) and the bytes they hold or will hold. */
  memory(): MemoryInfo {
    return { liveBuffers: this.liveBuffers, liveBytes: this.liveBytes };
  }

  // ---- element-wise ---------------------------------------------------------------------------------

  unary(op: UnaryOp, x: BackendBuffer): BackendBuffer {
    return this.record1({ kind: 'unary', op }, [this.get(x, op)]);
  }

  binary(op: BinaryOp, a: BackendBuffer, b: BackendBuffer): BackendBuffer {
    const x = this.get(a, op);
    const y = this.get(b, op);
    if (op === 'add') {
      const into = this.addIntoScatter(x, y) ?? this.addIntoScatter(y, x);
      if (into) return into;
    }
    return this.record1({ kind: 'binary', op }, [x, y]);
  }

  /**
   * `base + s` where s is a pending `scatterAdd` of base's shape (or a reshape of one), as one scatter
   * into base (the `scatterAdd` itself is then computed only if something else reads it); null
   * otherwise. Core's gradients of a tied embedding and of the token log-probabilities take this form.
   */
  private addIntoScatter(base: OrtBuffer, s: OrtBuffer): OrtBuffer | null {
    if (base.dtype !== s.dtype || base.shape.join() !== s.shape.join()) return null;
    let scattered = s;
    if (s.source?.node.op.kind === 'reshape') scattered = s.source.node.inputs[0] as OrtBuffer;
    const node = scattered.source?.node;
    if (node?.op.kind !== 'scatterAdd') return null;
    const [updates, indices] = node.inputs as [OrtBuffer, OrtBuffer];
    const op: NodeOp = { kind: 'scatterAddInto', axis: node.op.axis, size: node.op.size };
    if (scattered === s) return this.record1(op, [base, updates, indices]);
    const flat = this.reshape(base, scattered.shape) as OrtBuffer;
    const into = this.record1(op, [flat, updates, indices]);
    const out = this.reshape(into, base.shape) as OrtBuffer;
    this.dispose(flat);
    this.dispose(into);
    return out;
  }

  compare(op: CompareOp, a: BackendBuffer, b: BackendBuffer): BackendBuffer {
    return this.record1({ kind: 'compare', op }, [this.get(a, op), this.get(b, op)], 'int32');
  }

  where(cond: BackendBuffer, a: BackendBuffer, b: BackendBuffer): BackendBuffer {
    const inputs = [this.get(cond, 'where'), this.get(a, 'where'), this.get(b, 'where')];
    return this.record1({ kind: 'where' }, inputs, (inputs[1] as OrtBuffer).dtype);
  }

  cast(x: BackendBuffer, dtype: DType): BackendBuffer {
    return this.record1({ kind: 'cast', to: dtype }, [this.get(x, 'cast')], dtype);
  }

  // ---- reductions -----------------------------------------------------------------------------------

  reduce(op: ReduceOp, x: BackendBuffer, axes: readonly number[], keepDims: boolean): BackendBuffer {
    const b = this.get(x, op);
    return (
      (op === 'sum' && this.batchSummedMatmul(b, axes, keepDims)) ||
      this.record1({ kind: 'reduce', op, axes: [...axes], keepDims }, [b])
    );
  }

  /**
   * `Σ_batch Aᵢᵀ·Bᵢ` — a batched matmul with `transposeA` summed over all its batch axes, which is how
   * core's autodiff computes a weight gradient (`unbroadcast(matmul(dy, x, true, false))`) — is one
   * GEMM over the flattened batch: A (P·K, M)ᵀ · B (P·K, N). This records that GEMM instead of P
   * small ones and a reduction (the batched product is then dead code unless used elsewhere).
   */
  private batchSummedMatmul(x: OrtBuffer, axes: readonly number[], keepDims: boolean): OrtBuffer | null {
    const node = x.source?.node;
    if (node?.op.kind !== 'matmul' || !node.op.transposeA || node.op.transposeB) return null;
    const rank = x.shape.length;
    const [a, b] = node.inputs as [OrtBuffer, OrtBuffer];
    if (rank < 3 || axes.length !== rank - 2 || axes.some((axis, i) => axis !== i)) return null;
    const sameBatch = (t: OrtBuffer) => t.shape.length === rank && axes.every((i) => t.shape[i] === x.shape[i]);
    if (!sameBatch(a) || !sameBatch(b)) return null;
    const rows = axes.reduce((p, i) => p * (x.shape[i] as number), a.shape[rank - 2] as number); // P·K
    const [m, n] = [x.shape[rank - 2] as number, x.shape[rank - 1] as number];
    const a2 = this.reshape(a, [rows, m]);
    const b2 = this.reshape(b, [rows, n]);
    const product = this.matmul(a2, b2, true, false); // (M, N); a wide one as (Bᵀ·A)ᵀ, see `matmul`
    this.dispose(a2);
    this.dispose(b2);
    if (!keepDims) return product as OrtBuffer;
    const kept = this.reshape(product, [...axes.map(() => 1), m, n]);
    this.dispose(product);
    return kept as OrtBuffer;
  }

  argMax(x: BackendBuffer, axis: number): BackendBuffer {
    return this.record1({ kind: 'argMax', axis }, [this.get(x, 'argMax')], 'int32');
  }

  // ---- linear algebra -------------------------------------------------------------------------------

  matmul(a: BackendBuffer, b: BackendBuffer, transposeA: boolean, transposeB: boolean): BackendBuffer {
    const x = this.get(a, 'matmul');
    const y = this.get(b, 'matmul');
    const op: NodeOp = { kind: 'matmul', transposeA, transposeB };
    const k = transposeA ? x.shape[x.shape.length - 2] : x.shape[x.shape.length - 1];
    if (k === 0) return this.fill(outputShape(op, [x.shape, y.shape]), 0, 'float32'); // empty sums
    // A wide Aᵀ·B (2-D, M ≫ N: a vocabulary head's weight gradient, 50,257 × 768) runs faster as
    // (Bᵀ·A)ᵀ: MLAS reads a transposed A of 50,257 columns slowly (GPT-2 step: ~0.3 s of CPU time less).
    if (transposeA && !transposeB && x.shape.length === 2 && y.shape.length === 2) {
      const [m, n] = [x.shape[1] as number, y.shape[1] as number];
      if (m > 8 * n) {
        const product = this.record1({ kind: 'matmul', transposeA: true, transposeB: false }, [y, x]); // (N, M)
        const out = this.permute(product, [1, 0]);
        this.dispose(product);
        return out;
      }
    }
    return this.record1(op, [x, y]);
  }

  // ---- movement -------------------------------------------------------------------------------------

  /** A materialised input shares its values (no copy); a pending one records a `Reshape`. */
  reshape(x: BackendBuffer, shape: Shape): BackendBuffer {
    const b = this.get(x, 'reshape');
    if (b.data !== null) return this.leaf(b.data, shape, b.dtype);
    return this.record1({ kind: 'reshape', shape: [...shape] }, [b]);
  }

  permute(x: BackendBuffer, perm: readonly number[]): BackendBuffer {
    return this.record1({ kind: 'permute', perm: [...perm] }, [this.get(x, 'permute')]);
  }

  slice(x: BackendBuffer, begin: readonly number[], size: readonly number[]): BackendBuffer {
    return this.record1({ kind: 'slice', begin: [...begin], size: [...size] }, [this.get(x, 'slice')]);
  }

  concat(xs: readonly BackendBuffer[], axis: number): BackendBuffer {
    const all = xs.map((x) => this.get(x, 'concat'));
    const nonEmpty = all.filter((b) => b.size > 0);
    const op: NodeOp = { kind: 'concat', axis };
    if (nonEmpty.length === 0) return this.record1(op, all); // size 0: materialised empty
    return this.record1(op, nonEmpty);
  }

  pad(x: BackendBuffer, paddings: readonly (readonly [number, number])[], value: number): BackendBuffer {
    const b = this.get(x, 'pad');
    const op: NodeOp = { kind: 'pad', paddings: paddings.map(([lo, hi]) => [lo, hi] as const), value };
    if (b.size === 0) return this.fill(outputShape(op, [b.shape]), value, b.dtype);
    return this.record1(op, [b]);
  }

  broadcastTo(x: BackendBuffer, shape: Shape): BackendBuffer {
    return this.record1({ kind: 'broadcastTo', shape: [...shape] }, [this.get(x, 'broadcastTo')]);
  }

  // ---- indexing -------------------------------------------------------------------------------------

  gather(x: BackendBuffer, indices: BackendBuffer, axis: number): BackendBuffer {
    return this.record1({ kind: 'gather', axis }, [this.get(x, 'gather'), this.get(indices, 'gather')]);
  }

  scatterAdd(updates: BackendBuffer, indices: BackendBuffer, axis: number, size: number): BackendBuffer {
    const u = this.get(updates, 'scatterAdd');
    const i = this.get(indices, 'scatterAdd');
    const op: NodeOp = { kind: 'scatterAdd', axis, size };
    if (i.size === 0 || u.size === 0) return this.fill(outputShape(op, [u.shape, i.shape]), 0, u.dtype);
    return this.record1(op, [u, i]);
  }

  // ---- replay ---------------------------------------------------------------------------------------

  /** See {@link OnnxRuntimeBackend.replay}: null when an output is computed already or is an input. */
  private captureReplay(inputs: readonly BackendBuffer[], outputs: readonly BackendBuffer[]): ReplayCapture | null {
    const ins = inputs.map((b) => this.get(b, 'replay'));
    const outs = outputs.map((b) => this.get(b, 'replay'));
    const leaves = new Set(ins);
    if (outs.length === 0 || outs.some((b) => b.source === null || leaves.has(b))) return null;
    const plan = planGraph(outs, true, leaves);
    if (plan.nodes.some((n) => n.op.kind === 'adamw' || n.op.kind === 'replay')) return null;
    return new OrtReplayCapture(plan, ins, (capture, given) => this.recordReplay(capture, given));
  }

  /** Records one `replay` node computing a capture's outputs from new inputs. */
  private recordReplay(capture: OrtReplayCapture, inputs: readonly BackendBuffer[]): BackendBuffer[] {
    const ins = inputs.map((b) => this.get(b, 'replay'));
    const op: NodeOp = { kind: 'replay', capture };
    const node: PendingNode = {
      op,
      signature: signatureOf(op),
      dynamicSignature: signatureOf(op),
      inputs: ins,
      outputs: [],
    };
    for (const root of capture.plan.roots) {
      const out = OrtBuffer.pending(this, node, node.outputs.length, root.shape, root.dtype);
      node.outputs.push(out);
      this.count(out);
      this.executor.track(out);
    }
    return node.outputs;
  }

  // ---- recording ------------------------------------------------------------------------------------

  /** Records a one-output op; the output takes `dtype` (default: the first input's). */
  private record1(op: NodeOp, inputs: OrtBuffer[], dtype?: DType): OrtBuffer {
    return this.record(op, inputs, dtype)[0] as OrtBuffer;
  }

  /**
   * Records `op` on `inputs` and returns its pending outputs (`adamw`: three). An op whose outputs are
   * empty is not recorded: its outputs are materialised empty arrays.
   */
  private record(op: NodeOp, inputs: OrtBuffer[], dtype?: DType): OrtBuffer[] {
    const shape = outputShape(
      op,
      inputs.map((b) => b.shape),
    );
    const outDtype = dtype ?? (inputs[0] as OrtBuffer).dtype;
    const count = op.kind === 'adamw' ? 3 : 1;
    if (shape.includes(0)) {
      return Array.from({ length: count }, () =>
        this.leaf(outDtype === 'float32' ? new Float32Array(0) : new Int32Array(0), shape, outDtype),
      );
    }
    const node: PendingNode = {
      op,
      signature: signatureOf(op),
      dynamicSignature: dynamicSignatureOf(op),
      inputs,
      outputs: [],
    };
    for (let i = 0; i < count; i++) {
      const out = OrtBuffer.pending(this, node, i, shape, outDtype);
      node.outputs.push(out);
      this.count(out);
      this.executor.track(out);
    }
    return node.outputs;
  }

  /** A counted materialised buffer over `data` (not copied). */
  private leaf(data: TensorData, shape: Shape, dtype: DType): OrtBuffer {
    const b = OrtBuffer.materialised(this, data, [...shape], dtype, true);
    this.count(b);
    this.executor.users.add(data);
    return b;
  }

  private count(b: OrtBuffer): void {
    this.liveBuffers++;
    this.liveBytes += b.bytes;
  }

  /** AdamW's per-step constants as an internal (uncounted) input, shared by the parameters of a step. */
  private adamwConstants(hyper: AdamWHyper): OrtBuffer {
    const values = adamwConstants(hyper);
    const key = values.join(',');
    if (this.lastHyper?.key !== key) {
      this.lastHyper = { key, buffer: OrtBuffer.materialised(this, values, [values.length], 'float32', false) };
    }
    return this.lastHyper.buffer;
  }

  /**
   * The constants of an AdamW step whose gradient is given unscaled (see `scaledGradient`): an internal
   * pending value (uncounted, not a root of its own), shared by every parameter of the step.
   */
  private scaledAdamwConstants(k: OrtBuffer, s: OrtBuffer): OrtBuffer {
    if (this.lastScaled?.k === k && this.lastScaled.s === s) return this.lastScaled.out;
    const op: NodeOp = { kind: 'adamwScale' };
    const node: PendingNode = {
      op,
      signature: signatureOf(op),
      dynamicSignature: signatureOf(op),
      inputs: [k, s],
      outputs: [],
    };
    const out = OrtBuffer.pending(this, node, 0, k.shape, 'float32', false);
    node.outputs.push(out);
    this.lastScaled = { k, s, out };
    return out;
  }

  /** The live buffer of this backend behind a handle; throws for disposed or foreign handles. */
  private get(buffer: BackendBuffer, op: string): OrtBuffer {
    if (!(buffer instanceof OrtBuffer) || buffer.owner !== this) {
      throw new InvalidArgumentError(op, 'buffer', String(buffer), `is not a buffer of this '${this.name}' backend`);
    }
    if (buffer.disposed) throw new DisposedTensorError(op);
    return buffer;
  }
}

/**
 * A gradient recorded as `G · s` with a one-element s — gradient clipping's `g · min(1, maxNorm / norm)` —
 * as G and s: AdamW can read G with its constants scaled (`adamwScale`), one pass over every parameter
 * fewer, and the scaled gradient is computed only if something else reads it. Null otherwise.
 */
function scaledGradient(g: OrtBuffer): { grad: OrtBuffer; scale: OrtBuffer } | null {
  const node = g.source?.node;
  if (node?.op.kind !== 'binary' || node.op.op !== 'mul') return null;
  const [a, b] = node.inputs as [OrtBuffer, OrtBuffer];
  for (const [grad, scale] of [
    [a, b],
    [b, a],
  ] as const) {
    if (scale.size === 1 && scale.dtype === 'float32' && grad.shape.join() === g.shape.join()) return { grad, scale };
  }
  return null;
}

/**
 * Creates the onnxruntime backend (Node.js; CPU).
 *
 * @example
 * ```ts
 * import { createOnnxRuntimeBackend } from '@rlhf/backend-onnxruntime';
 * import { matmul, tensor } from '@rlhf/core';
 *
 * const backend = createOnnxRuntimeBackend({ threads: 2 });
 * const x = tensor(backend, [1, 2, 3, 4], [2, 2]);
 * console.log(await matmul(x, x).data()); // Float32Array [7, 10, 15, 22]
 * ```
 */
export function createOnnxRuntimeBackend(options: OnnxRuntimeBackendOptions = {}): OnnxRuntimeBackend {
  return new OnnxRuntimeBackend(options);
}
