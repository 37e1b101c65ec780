import type { BinaryOp, CompareOp, DType, ReduceOp, UnaryOp } from '@rlhf/core';

/**
 * Every kernel the backend records, with the attributes that decide the ONNX it compiles to — one
 * variant per primitive of core's backend spec plus the fused kernels. Inputs are not part of the op
 * (they are the node's input buffers).
 *
 * @example
 * ```ts
 * const op: NodeOp = { kind: 'reduce', op: 'sum', axes: [1], keepDims: false };
 * signatureOf(op); // 'reduce:sum:1:0'
 * ```
 */
export type NodeOp =
  | { kind: 'unary'; op: UnaryOp }
  | { kind: 'binary'; op: BinaryOp }
  | { kind: 'compare'; op: CompareOp }
  | { kind: 'where' }
  | { kind: 'cast'; to: DType }
  | { kind: 'reduce'; op: ReduceOp; axes: readonly number[]; keepDims: boolean }
  | { kind: 'argMax'; axis: number }
  | { kind: 'matmul'; transposeA: boolean; transposeB: boolean }
  | { kind: 'reshape'; shape: readonly number[] }
  | { kind: 'permute'; perm: readonly number[] }
  | { kind: 'slice'; begin: readonly number[]; size: readonly number[] }
  | { kind: 'concat'; axis: number }
  | { kind: 'pad'; paddings: readonly (readonly [number, number])[]; value: number }
  | { kind: 'broadcastTo'; shape: readonly number[] }
  | { kind: 'gather'; axis: number }
  | { kind: 'scatterAdd'; axis: number; size: number }
  /**
   * `base + scatterAdd(updates, indices)` as one scatter into `base` (inputs: base, updates, indices): a
   * tied embedding's gradient, whose gather adjoint is added to the head's weight gradient, skips a
   * zero-filled (V, D) tensor and a pass over it.
   */
  | { kind: 'scatterAddInto'; axis: number; size: number }
  | { kind: 'softmax' }
  | { kind: 'logSoftmax' }
  | { kind: 'rmsNorm'; eps: number }
  | { kind: 'layerNorm'; eps: number }
  /** Inputs: x (B, H, T, Dh), cos and sin (B or 1, 1, T, Dh) with repeated halves. */
  | { kind: 'rotary' }
  /** GELU, tanh approximation. */
  | { kind: 'gelu' }
  /** SiLU, `x·σ(x)`. */
  | { kind: 'silu' }
  /**
   * Inputs: param, grad, m, v and a float32 (7) vector of per-step constants (see `adamwConstants`).
   * `decay`: whether the weight decay is non-zero (a zero one skips a pass).
   */
  | { kind: 'adamw'; decay: boolean }
  /**
   * AdamW's per-step constants for a gradient given as `G · s` (s one element): the vector with
   * `(1 − β₁)` multiplied by s and `(1 − β₂)` by s². Inputs: the constants (7) and s.
   */
  | { kind: 'adamwScale' }
  /**
   * A captured computation run again on new inputs (the node's inputs are the capture's inputs; its
   * outputs are the captured outputs). Runs its own cached session on the host side of a stage, never
   * emitted into another graph.
   */
  | { kind: 'replay'; capture: { readonly id: number } };

/** The kinds of {@link NodeOp}. */
export type NodeKind = NodeOp['kind'];

/**
 * Canonical text of an op: its kind and attributes, in a fixed order. Two nodes with equal signatures
 * and equal input shapes compile to the same ONNX nodes.
 *
 * @example
 * ```ts
 * signatureOf({ kind: 'matmul', transposeA: false, transposeB: true }); // 'matmul:0:1'
 * ```
 */
export function signatureOf(op: NodeOp): string {
  switch (op.kind) {
    case 'unary':
    case 'binary':
    case 'compare':
      return `${op.kind}:${op.op}`;
    case 'where':
    case 'softmax':
    case 'logSoftmax':
    case 'rotary':
    case 'gelu':
    case 'silu':
    case 'adamwScale':
      return op.kind;
    case 'adamw':
      return `adamw:${op.decay ? 1 : 0}`;
    case 'replay':
      return `replay:${op.capture.id}`;
    case 'cast':
      return `cast:${op.to}`;
    case 'reduce':
      return `reduce:${op.op}:${op.axes.join(',')}:${op.keepDims ? 1 : 0}`;
    case 'argMax':
      return `argMax:${op.axis}`;
    case 'matmul':
      return `matmul:${op.transposeA ? 1 : 0}:${op.transposeB ? 1 : 0}`;
    case 'reshape':
    case 'broadcastTo':
      return `${op.kind}:${op.shape.join(',')}`;
    case 'permute':
      return `permute:${op.perm.join(',')}`;
    case 'slice':
      return `slice:${op.begin.join(',')}:${op.size.join(',')}`;
    case 'concat':
      return `concat:${op.axis}`;
    case 'pad':
      return `pad:${op.paddings.map((p) => p.join('/')).join(',')}:${numberKey(op.value)}`;
    case 'gather':
      return `gather:${op.axis}`;
    case 'scatterAdd':
    case 'scatterAddInto':
      return `${op.kind}:${op.axis}:${op.size}`;
    case 'rmsNorm':
    case 'layerNorm':
      return `${op.kind}:${numberKey(op.eps)}`;
  }
}

/**
 * The signature without the attributes that are shapes (reshape and broadcast targets, slice bounds,
 * scatter sizes): equal dynamic signatures and input ranks compile to the same dynamic graph, whose
 * shapes are fed at run time.
 *
 * @example
 * ```ts
 * dynamicSignatureOf({ kind: 'reshape', shape: [2, 64] }); // 'reshape:r2'
 * ```
 */
export function dynamicSignatureOf(op: NodeOp): string {
  switch (op.kind) {
    case 'reshape':
    case 'broadcastTo':
      return `${op.kind}:r${op.shape.length}`;
    case 'slice':
      return `slice:r${op.begin.length}`;
    case 'scatterAdd':
    case 'scatterAddInto':
      return `${op.kind}:${op.axis}`;
    default:
      return signatureOf(op);
  }
}

/** A number as text that keeps −0 apart from 0. */
function numberKey(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}
