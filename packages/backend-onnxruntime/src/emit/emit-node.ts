import type { NodeOp } from '../lazy/node-op.js';
import type { GraphBuilder } from '../onnx/graph-builder.js';
import { emitBinary, emitCast, emitCompare, emitUnary, emitWhere } from './emit-elementwise.js';
import {
  emitAdamw,
  emitAdamwScale,
  emitGelu,
  emitLayerNorm,
  emitRmsNorm,
  emitRotary,
  emitSilu,
  emitSoftmax,
} from './emit-fused.js';
import { emitGather, emitScatterAdd } from './emit-indexing.js';
import {
  emitBroadcastTo,
  emitConcat,
  emitMatmul,
  emitPad,
  emitPermute,
  emitReshape,
  emitSlice,
} from './emit-movement.js';
import { emitArgMax, emitReduce } from './emit-reduce.js';
import type { EmitValue } from './emit-value.js';

/**
 * Emits the ONNX nodes of one recorded op; returns the names of its outputs (one per output buffer).
 *
 * @example
 * ```ts
 * const [y] = emitNode(g, { kind: 'unary', op: 'exp' }, [x]);
 * ```
 */
export function emitNode(g: GraphBuilder, op: NodeOp, inputs: readonly EmitValue[]): string[] {
  const [a, b, c, d, e] = inputs as [EmitValue, EmitValue, EmitValue, EmitValue, EmitValue];
  switch (op.kind) {
    case 'unary':
      return [emitUnary(g, op.op, a)];
    case 'binary':
      return [emitBinary(g, op.op, a, b)];
    case 'compare':
      return [emitCompare(g, op.op, a, b)];
    case 'where':
      return [emitWhere(g, a, b, c)];
    case 'cast':
      return [emitCast(g, a, op.to)];
    case 'reduce':
      return [emitReduce(g, op.op, a, op.axes, op.keepDims)];
    case 'argMax':
      return [emitArgMax(g, a, op.axis)];
    case 'matmul':
      return [emitMatmul(g, a, b, op.transposeA, op.transposeB)];
    case 'reshape':
      return [emitReshape(g, a, op.shape)];
    case 'permute':
      return [emitPermute(g, a, op.perm)];
    case 'slice':
      return [emitSlice(g, a, op.begin, op.size)];
    case 'concat':
      return [emitConcat(g, inputs, op.axis)];
    case 'pad':
      return [emitPad(g, a, op.paddings, op.value)];
    case 'broadcastTo':
      return [emitBroadcastTo(g, a, op.shape)];
    case 'gather':
      return [emitGather(g, a, b, op.axis)];
    case 'scatterAdd':
      return [emitScatterAdd(g, a, b, op.axis, op.size)];
    case 'scatterAddInto':
      return [emitScatterAdd(g, b, c, op.axis, op.size, a)];
    case 'softmax':
      return [emitSoftmax(g, a, false)];
    case 'logSoftmax':
      return [emitSoftmax(g, a, true)];
    case 'rmsNorm':
      return [emitRmsNorm(g, a, b, op.eps)];
    case 'layerNorm':
      return [emitLayerNorm(g, a, b, c, op.eps)];
    case 'rotary':
      return [emitRotary(g, a, b, c)];
    case 'gelu':
      return [emitGelu(g, a)];
    case 'silu':
      return [emitSilu(g, a)];
    case 'adamw':
      return emitAdamw(g, a, b, c, d, e, op.decay);
    case 'adamwScale':
      return [emitAdamwScale(g, a, b)];
    case 'replay':
      throw new Error('internal: a replay node runs its own session and is never emitted');
  }
}
