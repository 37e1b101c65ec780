/**
 * The backend specification: the contract between core's math and a compute device.
 *
 * A backend implements a short, fixed list of forward kernels on opaque device buffers. Core owns
 * shapes, validation, autodiff, memory scopes and randomness; a backend only computes. Core validates
 * every call before it reaches a backend (shapes, dtypes, axes), so a backend may assume its inputs are
 * well formed. Every buffer knows its own shape and dtype on the backend side.
 *
 * Conventions shared by all kernels:
 * - Tensors are dense, row-major (C order), with no strides visible to core.
 * - Shapes are arrays of non-negative integers; rank 0 (a scalar, shape `[]`) and size-0 tensors are legal.
 * - Broadcasting follows NumPy: shapes are right-aligned; each pair of dimensions must be equal or one of
 *   them 1; the output takes the larger.
 * - Axes are non-negative integers after core's normalisation (core resolves `-1`).
 * - Kernels never mutate their inputs; each returns a new buffer that the caller owns and must dispose.
 * - NaN propagates through arithmetic, `maximum`/`minimum` and `max`/`min` reductions (as in PyTorch).
 *
 * @packageDocumentation
 */

/** Element types a tensor may hold. Comparisons produce `int32` tensors holding 0 or 1. */
export type DType = 'float32' | 'int32';

/** A tensor shape: one non-negative integer per dimension. */
export type Shape = readonly number[];

/** Typed array type that holds the values of a tensor of a given dtype. */
export type DataTypeMap = {
  /** `float32` values live in a `Float32Array`. */
  float32: Float32Array;
  /** `int32` values live in an `Int32Array`. */
  int32: Int32Array;
};

/** Values of a tensor on the host: a `Float32Array` for `float32`, an `Int32Array` for `int32`. */
export type TensorData = Float32Array | Int32Array;

/**
 * An opaque handle to memory owned by a backend. Core never looks inside; it only passes handles back to
 * the backend that made them.
 */
export interface BackendBuffer {
  /** Marker so that plain objects are not accidentally accepted as buffers. */
  readonly __backendBuffer?: true;
}

/**
 * Element-wise unary kernels. All accept `float32`; `neg`, `abs` and `sign` also accept `int32` (same
 * dtype out).
 *
 * | op | value |
 * |---|---|
 * | neg | −x |
 * | abs | \|x\| |
 * | sign | −1, 0 or 1 (NaN stays NaN) |
 * | exp | eˣ |
 * | log | ln x (−∞ at 0, NaN below 0) |
 * | sqrt | √x |
 * | rsqrt | 1/√x |
 * | reciprocal | 1/x |
 * | square | x² |
 * | tanh | tanh x |
 * | sigmoid | 1/(1+e⁻ˣ), computed without overflow for large \|x\| |
 * | relu | max(x, 0) (NaN stays NaN) |
 * | sin, cos | sine, cosine (radians) |
 */
export type UnaryOp =
  | 'neg'
  | 'abs'
  | 'sign'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'rsqrt'
  | 'reciprocal'
  | 'square'
  | 'tanh'
  | 'sigmoid'
  | 'relu'
  | 'sin'
  | 'cos';

/** Every unary op, in a fixed order (the conformance suite walks it). */
export const UNARY_OPS: readonly UnaryOp[] = [
  'neg',
  'abs',
  'sign',
  'exp',
  'log',
  'sqrt',
  'rsqrt',
  'reciprocal',
  'square',
  'tanh',
  'sigmoid',
  'relu',
  'sin',
  'cos',
];

/**
 * Element-wise binary kernels with broadcasting. Both inputs have the same dtype, which is the output's
 * dtype. `div` and `pow` are `float32` only; the rest accept `int32` as well (integer arithmetic wraps
 * as in C's 32-bit two's complement).
 *
 * | op | value |
 * |---|---|
 * | add, sub, mul, div | a+b, a−b, a·b, a/b (IEEE: x/0 = ±∞, 0/0 = NaN) |
 * | pow | aᵇ (as `Math.pow`) |
 * | maximum, minimum | max(a,b), min(a,b); NaN if either is NaN |
 */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum';

/** Every binary op, in a fixed order. */
export const BINARY_OPS: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'];

/**
 * Element-wise comparisons with broadcasting; inputs share a dtype; the output is `int32` 1 (true) or
 * 0 (false). Any comparison with NaN is false except `notEqual`, which is true.
 */
export type CompareOp = 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual';

/** Every comparison, in a fixed order. */
export const COMPARE_OPS: readonly CompareOp[] = ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'];

/**
 * Reductions over a set of axes. `sum` of an empty set is 0; `max`/`min` of an empty set is −∞/+∞ for
 * `float32` (and the smallest/largest int32 for `int32`). `max` and `min` propagate NaN.
 */
export type ReduceOp = 'sum' | 'max' | 'min';

/** Every reduction, in a fixed order. */
export const REDUCE_OPS: readonly ReduceOp[] = ['sum', 'max', 'min'];

/** Hyper-parameters of one AdamW update (PyTorch's `torch.optim.AdamW` formula). */
export interface AdamWHyper {
  /** Learning rate for this step. */
  lr: number;
  /** Decay rate of the first-moment (mean) estimate, β₁. */
  beta1: number;
  /** Decay rate of the second-moment (uncentred variance) estimate, β₂. */
  beta2: number;
  /** Term added to the denominator for numerical stability. */
  eps: number;
  /** Decoupled weight decay (multiplies `lr · param`). */
  weightDecay: number;
  /** 1-based step number, used for bias correction. */
  step: number;
}

/**
 * Optional fused kernels. A backend offers any subset (each callable as a method of `fused`); core uses one when present and otherwise computes
 * the same value from primitives. A fused kernel must agree with core's composition within the
 * conformance suite's tolerance. Gradients of fused kernels are defined in core, never in a backend.
 */
export interface FusedKernels {
  /** Softmax over the last axis of a `float32` tensor of rank ≥ 1: `exp(x − max) / Σ exp(x − max)`. */
  softmax?(x: BackendBuffer): BackendBuffer;
  /** Log-softmax over the last axis: `x − max − log Σ exp(x − max)`. */
  logSoftmax?(x: BackendBuffer): BackendBuffer;
  /**
   * RMSNorm over the last axis (Zhang & Sennrich 2019, eq. 4): `x / √(mean(x²) + eps) · weight`.
   * x: (..., D), weight: (D) → (..., D).
   */
  rmsNorm?(x: BackendBuffer, weight: BackendBuffer, eps: number): BackendBuffer;
  /**
   * LayerNorm over the last axis (Ba et al. 2016): `(x − mean) / √(var + eps) · weight + bias`, with the
   * biased variance. x: (..., D), weight and bias: (D) → (..., D).
   */
  layerNorm?(x: BackendBuffer, weight: BackendBuffer, bias: BackendBuffer, eps: number): BackendBuffer;
  /**
   * Rotary position embedding in the rotate-half layout (Su et al. 2021, eq. 34; Hugging Face's
   * `apply_rotary_pos_emb`): `x·cos + rotate_half(x)·sin`, `rotate_half(x) = [−x₂, x₁]` over the halves
   * of the last axis. x: (B, H, T, Dh); cos and sin: (B or 1, 1, T, Dh) whose second half along the last
   * axis repeats the first (as `rotaryTables` makes them: a kernel may read the first half only)
   * → (B, H, T, Dh).
   */
  rotary?(x: BackendBuffer, cos: BackendBuffer, sin: BackendBuffer): BackendBuffer;
  /**
   * GELU, tanh approximation (Hendrycks & Gimpel 2016; GPT-2's `gelu_new`), element-wise on a `float32`
   * tensor: `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`.
   */
  gelu?(x: BackendBuffer): BackendBuffer;
  /** SiLU / swish, element-wise on a `float32` tensor: `x·σ(x)` (Llama's MLP activation). */
  silu?(x: BackendBuffer): BackendBuffer;
  /**
   * One AdamW step (Loshchilov & Hutter 2019, Algorithm 2, as implemented by `torch.optim.AdamW`):
   * `p ← p − lr·wd·p; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
   *  p ← p − lr · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + eps)`.
   * All four inputs share a shape; returns new `[param, m, v]` buffers.
   */
  adamw?(
    param: BackendBuffer,
    grad: BackendBuffer,
    m: BackendBuffer,
    v: BackendBuffer,
    hyper: AdamWHyper,
  ): [BackendBuffer, BackendBuffer, BackendBuffer];
}

/** Names of the fused kernels a backend can offer. */
export type FusedKernelName = keyof FusedKernels;

/** What a backend can do, declared up front. */
export interface BackendCapabilities {
  /** Dtypes the backend stores. Every backend must support `float32` and `int32`. */
  readonly dtypes: readonly DType[];
  /** Whether {@link TensorBackend.readSync} is available. */
  readonly syncRead: boolean;
  /** Fused kernels this backend implements. */
  readonly fused: readonly FusedKernelName[];
}

/** Live device memory, as counted by the backend itself. */
export interface MemoryInfo {
  /** Buffers allocated and not yet disposed. */
  liveBuffers: number;
  /** Bytes held by those buffers. */
  liveBytes: number;
}

/**
 * Optional support of a backend that records kernels before running them (onnxruntime): a recorded
 * computation is captured once and then run again on new inputs, skipping core's per-op work (a decoding
 * step of a small model is ~190 ops, whose recording costs as much as running them). Core's
 * `replayable` is the only caller; it replays only after two captures of consecutive calls matched.
 */
export interface ReplaySupport {
  /**
   * Captures how the pending `outputs` are computed from `inputs`; every other buffer the computation
   * reads is taken as a constant. Null when it cannot be replayed (an output is already computed, or is
   * one of the inputs).
   */
  capture(inputs: readonly BackendBuffer[], outputs: readonly BackendBuffer[]): ReplayCapture | null;
}

/** A captured computation (see {@link ReplaySupport}). */
export interface ReplayCapture {
  /**
   * Whether `later` — a capture of a later call of the same function — computes the same thing from its
   * inputs: the same kernels and shapes, and every buffer that is not an input either the same buffer or
   * equal in value. Only then is replaying this capture sound.
   */
  matches(later: ReplayCapture): boolean;
  /** New (pending) buffers computing the captured outputs from `inputs`, shaped and typed as captured. */
  run(inputs: readonly BackendBuffer[]): BackendBuffer[];
  /** Releases what the capture holds (its compiled form, its constants). */
  release(): void;
}

/** The version of this specification. Bumped on any breaking change to {@link TensorBackend}. */
export const SPECIFICATION_VERSION = 'v1' as const;

/**
 * A compute backend: the versioned list of primitives core needs.
 *
 * Every method that returns a {@link BackendBuffer} allocates a new buffer (a backend may share storage
 * internally, for example for `reshape`, as long as disposing one handle never invalidates another).
 */
export interface TensorBackend {
  /** Version of the specification this backend implements. */
  readonly specificationVersion: typeof SPECIFICATION_VERSION;
  /** Short name: `'js'`, `'tfjs'`, `'onnxruntime'`, `'webgpu'`, ... */
  readonly name: string;
  /** Declared capabilities. */
  readonly capabilities: BackendCapabilities;
  /** Optional fused kernels (see {@link FusedKernels}). */
  readonly fused: FusedKernels;
  /** Optional: replaying a recorded computation on new inputs without recording it again (see {@link ReplaySupport}). */
  readonly replay?: ReplaySupport;

  // ---- storage --------------------------------------------------------------------------------------

  /** Copies host values into a new buffer. `values.length` equals the product of `shape`. */
  write(values: TensorData, shape: Shape, dtype: DType): BackendBuffer;
  /** A new buffer of `shape` with every element equal to `value`. */
  fill(shape: Shape, value: number, dtype: DType): BackendBuffer;
  /** Copies a buffer's values to the host (a fresh array the caller owns). */
  read(buffer: BackendBuffer): Promise<TensorData>;
  /** Synchronous read; present only when `capabilities.syncRead` is true. */
  readSync?(buffer: BackendBuffer): TensorData;
  /** Frees a buffer. Disposing twice is an error the backend may ignore. */
  dispose(buffer: BackendBuffer): void;
  /** Live buffers and bytes. */
  memory(): MemoryInfo;

  // ---- element-wise ---------------------------------------------------------------------------------

  /** Element-wise unary op (see {@link UnaryOp}). Same shape and dtype out. */
  unary(op: UnaryOp, x: BackendBuffer): BackendBuffer;
  /** Element-wise binary op with broadcasting (see {@link BinaryOp}). */
  binary(op: BinaryOp, a: BackendBuffer, b: BackendBuffer): BackendBuffer;
  /** Element-wise comparison with broadcasting → `int32` 0/1 (see {@link CompareOp}). */
  compare(op: CompareOp, a: BackendBuffer, b: BackendBuffer): BackendBuffer;
  /**
   * `cond ? a : b` element-wise, all three broadcast together. `cond` is `int32` (non-zero = true);
   * `a` and `b` share a dtype, which is the output's.
   */
  where(cond: BackendBuffer, a: BackendBuffer, b: BackendBuffer): BackendBuffer;
  /**
   * Converts dtype. float32 → int32 truncates toward zero, NaN → 0, and values outside the int32 range
   * (±∞ included) saturate to the int32 limits; int32 → float32 rounds to nearest.
   */
  cast(x: BackendBuffer, dtype: DType): BackendBuffer;

  // ---- reductions -----------------------------------------------------------------------------------

  /**
   * Reduces over `axes` (sorted, unique, each < rank). With `keepDims` the reduced axes stay as size 1;
   * otherwise they are removed. An empty `axes` returns a copy.
   */
  reduce(op: ReduceOp, x: BackendBuffer, axes: readonly number[], keepDims: boolean): BackendBuffer;
  /**
   * Index of the largest value along `axis` (the axis is removed), as `int32`. Ties give the first index;
   * a NaN counts as larger than any number (the first NaN wins). The axis must have size ≥ 1.
   */
  argMax(x: BackendBuffer, axis: number): BackendBuffer;

  // ---- linear algebra -------------------------------------------------------------------------------

  /**
   * Batched matrix product of `float32` tensors of rank ≥ 2: a (..., M, K) × b (..., K, N) → (..., M, N),
   * where `transposeA` reads a as (..., K, M) transposed and `transposeB` reads b as (..., N, K)
   * transposed. Leading (batch) dimensions broadcast. Accumulation is at least float32.
   */
  matmul(a: BackendBuffer, b: BackendBuffer, transposeA: boolean, transposeB: boolean): BackendBuffer;

  // ---- movement -------------------------------------------------------------------------------------

  /** Same values, new shape of the same size (row-major order is kept). */
  reshape(x: BackendBuffer, shape: Shape): BackendBuffer;
  /** Permutes axes: output axis i is input axis `perm[i]`. */
  permute(x: BackendBuffer, perm: readonly number[]): BackendBuffer;
  /** The block starting at `begin` with extent `size` (one entry per axis, in bounds). */
  slice(x: BackendBuffer, begin: readonly number[], size: readonly number[]): BackendBuffer;
  /** Joins tensors of one dtype along `axis`; all other dimensions are equal. At least one input. */
  concat(xs: readonly BackendBuffer[], axis: number): BackendBuffer;
  /** Pads each axis with `paddings[i] = [before, after]` (non-negative) elements equal to `value`. */
  pad(x: BackendBuffer, paddings: readonly (readonly [number, number])[], value: number): BackendBuffer;
  /** Broadcasts to `shape` under NumPy's rules (x's rank ≤ the target's). */
  broadcastTo(x: BackendBuffer, shape: Shape): BackendBuffer;

  // ---- indexing -------------------------------------------------------------------------------------

  /**
   * Takes slices along `axis` at `indices` (NumPy's `take`): x (A..., n, B...), indices (I...) `int32` in
   * [0, n) → (A..., I..., B...). Negative or too-large indices are out of range: a backend that can detect
   * them throws a `RangeError` naming the index.
   */
  gather(x: BackendBuffer, indices: BackendBuffer, axis: number): BackendBuffer;
  /**
   * The adjoint of {@link TensorBackend.gather}: a zero tensor of shape (A..., size, B...) into which each
   * slice of `updates` (A..., I..., B...) is added at `indices` (I...) along `axis`. Repeated indices
   * accumulate.
   */
  scatterAdd(updates: BackendBuffer, indices: BackendBuffer, axis: number, size: number): BackendBuffer;
}
