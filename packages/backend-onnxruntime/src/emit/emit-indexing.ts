import type { GraphBuilder } from '../onnx/graph-builder.js';
import { castTo, type EmitValue, reshapeTo } from './emit-value.js';

/**
 * NumPy `take` along `axis`: ONNX `Gather` has exactly these semantics, x (A..., n, B...), indices
 * (I...) → (A..., I..., B...), and accepts int32 indices.
 *
 * @example
 * ```ts
 * const rows = emitGather(g, embeddings, ids, 0); // (V, D), (B, T) → (B, T, D)
 * ```
 */
export function emitGather(g: GraphBuilder, x: EmitValue, indices: EmitValue, axis: number): string {
  return g.add('Gather', [x.name, indices.name], [{ name: 'axis', int: axis }]);
}

const product = (dims: readonly number[]): number => dims.reduce((p, d) => p * d, 1);

/**
 * The adjoint of gather: zeros (A..., size, B...) — or `base`, of that shape — with each slice of
 * `updates` (A..., I..., B...) added at its index. Built on `ScatterND(reduction='add')`, which scatters
 * along the leading axis, so the axis is moved to the front: updates → (n, A, B) with n = |I|, scatter
 * into (size, A, B), move back.
 *
 * @example
 * ```ts
 * const dE = emitScatterAdd(g, dRows, ids, 0, vocab); // (B, T, D), (B, T) → (V, D)
 * ```
 */
export function emitScatterAdd(
  g: GraphBuilder,
  updates: EmitValue,
  indices: EmitValue,
  axis: number,
  size: number,
  base?: EmitValue,
): string {
  const irank = indices.shape.length;
  const lead = updates.shape.slice(0, axis);
  const trail = updates.shape.slice(axis + irank);
  const a = product(lead);
  const n = product(indices.shape);
  const b = product(trail);
  const outShape = [...lead, size, ...trail];
  const idx = reshapeTo(g, castTo(g, indices.name, 'int64'), [n, 1]);
  const zeroValue = {
    name: 'z',
    type: updates.dtype === 'float32' ? ('float' as const) : ('int32' as const),
    dims: [1],
    raw: new Uint8Array(4),
  };
  const zerosOf = (dims: number[]) =>
    g.add('ConstantOfShape', [g.shapeParam(dims)], [{ name: 'value', tensor: zeroValue }]);
  const add = [{ name: 'reduction', string: 'add' }];
  if (a === 1 && !g.dynamic) {
    // (No reshape where the shape is already (size, B): a reshaped graph output is a copy.)
    const flat = outShape.length === 2;
    const into = base ? (flat ? base.name : reshapeTo(g, base.name, [size, b])) : zerosOf([size, b]);
    const scattered = g.add('ScatterND', [into, idx, reshapeTo(g, updates.name, [n, b])], add);
    return flat ? scattered : reshapeTo(g, scattered, outShape);
  }
  const swap = [{ name: 'perm', ints: [1, 0, 2] }];
  const moved = g.add('Transpose', [reshapeTo(g, updates.name, [a, n, b])], swap); // (n, A, B)
  const into = base ? g.add('Transpose', [reshapeTo(g, base.name, [a, size, b])], swap) : zerosOf([size, a, b]);
  const scattered = g.add('ScatterND', [into, idx, moved], add); // (size, A, B)
  return reshapeTo(g, g.add('Transpose', [scattered], swap), outShape);
}
