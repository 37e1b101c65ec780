import type { GraphBuilder } from '../onnx/graph-builder.js';
import { type EmitValue, reshapeTo, scalarOf } from './emit-value.js';

/** The permutation that swaps the last two of `rank` axes. */
function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/**
 * Batched matmul with transpose flags: onnxruntime's `FusedMatMul` (contrib op: transposes folded into
 * the GEMM, batch dims broadcast as in `MatMul`), or `Transpose` + `MatMul` in portable graphs.
 *
 * @example
 * ```ts
 * const y = emitMatmul(g, a, b, false, true); // a · bᵀ
 * ```
 */
export function emitMatmul(
  g: GraphBuilder,
  a: EmitValue,
  b: EmitValue,
  transposeA: boolean,
  transposeB: boolean,
): string {
  if (!transposeA && !transposeB) return g.add('MatMul', [a.name, b.name]);
  if (g.contribOps) {
    const attrs = [
      { name: 'transA', int: transposeA ? 1 : 0 },
      { name: 'transB', int: transposeB ? 1 : 0 },
      { name: 'alpha', float: 1 },
    ];
    return g.add('FusedMatMul', [a.name, b.name], attrs, 'com.microsoft');
  }
  const at = transposeA ? g.add('Transpose', [a.name], [{ name: 'perm', ints: swapLastTwo(a.shape.length) }]) : a.name;
  const bt = transposeB ? g.add('Transpose', [b.name], [{ name: 'perm', ints: swapLastTwo(b.shape.length) }]) : b.name;
  return g.add('MatMul', [at, bt]);
}

/**
 * New shape, same row-major values.
 *
 * @example
 * ```ts
 * const y = emitReshape(g, x, [2, 6]);
 * ```
 */
export function emitReshape(g: GraphBuilder, x: EmitValue, shape: readonly number[]): string {
  return reshapeTo(g, x.name, shape);
}

/**
 * Axis permutation (`Transpose`); the identity permutation is a copy.
 *
 * @example
 * ```ts
 * const y = emitPermute(g, x, [0, 2, 1, 3]);
 * ```
 */
export function emitPermute(g: GraphBuilder, x: EmitValue, perm: readonly number[]): string {
  if (perm.every((p, i) => p === i)) return g.add('Identity', [x.name]);
  // Moving only axes of size 1 keeps the memory order: a reshape (static graphs only — a dynamic one
  // serves other shapes too). A decoding step's (B, 1, H, Dh) ↔ (B, H, 1, Dh) head permutations are.
  const moved = perm.map((p) => x.shape[p] as number);
  const order = (axes: readonly number[]) => axes.filter((a) => (x.shape[a] as number) !== 1);
  if (!g.dynamic && order(perm).every((a, i) => a === order(x.shape.map((_, j) => j))[i])) {
    return reshapeTo(g, x.name, moved);
  }
  return g.add('Transpose', [x.name], [{ name: 'perm', ints: perm }]);
}

/**
 * The block at `begin` of extent `size`: `Slice` over the axes that change.
 *
 * @example
 * ```ts
 * const y = emitSlice(g, x, [0, 2], [3, 2]);
 * ```
 */
export function emitSlice(g: GraphBuilder, x: EmitValue, begin: readonly number[], size: readonly number[]): string {
  const axes: number[] = [];
  for (let i = 0; i < size.length; i++) if (g.dynamic || begin[i] !== 0 || size[i] !== x.shape[i]) axes.push(i);
  if (axes.length === 0) return g.add('Identity', [x.name]);
  const starts = axes.map((a) => begin[a] as number);
  const ends = axes.map((a) => (begin[a] as number) + (size[a] as number));
  return g.add('Slice', [x.name, g.shapeParam(starts), g.shapeParam(ends), g.int64(axes)]);
}

/**
 * Join along `axis`.
 *
 * @example
 * ```ts
 * const y = emitConcat(g, [k0, k1], 2);
 * ```
 */
export function emitConcat(g: GraphBuilder, xs: readonly EmitValue[], axis: number): string {
  return g.add(
    'Concat',
    xs.map((x) => x.name),
    [{ name: 'axis', int: axis }],
  );
}

/**
 * Constant padding: ONNX's `pads` lists every axis' "before" then every axis' "after".
 *
 * @example
 * ```ts
 * const y = emitPad(g, x, [[0, 0], [1, 2]], 0);
 * ```
 */
export function emitPad(
  g: GraphBuilder,
  x: EmitValue,
  paddings: readonly (readonly [number, number])[],
  value: number,
): string {
  if (paddings.every(([b, a]) => b === 0 && a === 0)) return g.add('Identity', [x.name]);
  const pads = [...paddings.map((p) => p[0]), ...paddings.map((p) => p[1])];
  return g.add('Pad', [x.name, g.int64(pads), scalarOf(g, value, x.dtype)], [{ name: 'mode', string: 'constant' }]);
}

/**
 * NumPy broadcast to `shape` (`Expand`).
 *
 * @example
 * ```ts
 * const y = emitBroadcastTo(g, bias, [8, 128, 256]);
 * ```
 */
export function emitBroadcastTo(g: GraphBuilder, x: EmitValue, shape: readonly number[]): string {
  const same = x.shape.length === shape.length && x.shape.every((d, i) => d === shape[i]);
  if (same && !g.dynamic) return g.add('Identity', [x.name]);
  return g.add('Expand', [x.name, g.shapeParam(shape)]);
}
