import type { Shape } from '../backend/backend-spec.js';
import { DTypeError, InvalidArgumentError, ShapeError } from '../errors/tensor-errors.js';
import { engine } from '../tensor/engine.js';
import { assertValidShape, broadcastShapes, normalizeAxis, shapesEqual, sizeOf } from '../tensor/shape-utils.js';
import type { Tensor } from '../tensor/tensor.js';
import { backendOf, wrap } from './op-utils.js';
import { unbroadcast } from './unbroadcast.js';

/**
 * Same values in a new shape of equal size; one entry may be −1 (inferred).
 *
 * @example
 * ```ts
 * const flat = reshape(logits, [-1, vocab]); // (B, T, V) → (B·T, V)
 * ```
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const resolved = [...shape];
  const unknown = resolved.indexOf(-1);
  if (unknown >= 0) {
    const known = sizeOf(resolved.filter((_, i) => i !== unknown));
    resolved[unknown] = known === 0 ? 0 : x.size / known;
  }
  assertValidShape('reshape', resolved);
  if (sizeOf(resolved) !== x.size) throw new ShapeError('reshape', [x.shape, shape], 'sizes differ');
  const out = wrap(x.backend, x.backend.reshape(x.buffer('reshape'), resolved), resolved, x.dtype);
  return engine.record(out, 'reshape', [x], (dy) => [reshape(dy, x.shape)]);
}

/**
 * Permutes axes: output axis i is input axis `perm[i]`.
 *
 * @example
 * ```ts
 * const heads = permute(q, [0, 2, 1, 3]); // (B, T, H, D) → (B, H, T, D)
 * ```
 */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  const p = perm.map((a) => normalizeAxis('permute', a, x.rank));
  if (p.length !== x.rank || new Set(p).size !== p.length) {
    throw new InvalidArgumentError('permute', 'perm', perm, `is not a permutation of ${x.rank} axes`);
  }
  const shape = p.map((a) => x.shape[a] as number);
  const out = wrap(x.backend, x.backend.permute(x.buffer('permute'), p), shape, x.dtype);
  const inverse = new Array<number>(p.length);
  p.forEach((a, i) => {
    inverse[a] = i;
  });
  return engine.record(out, 'permute', [x], (dy) => [permute(dy, inverse)]);
}

/**
 * Swaps the last two axes.
 *
 * @example
 * ```ts
 * const kt = transpose(k); // (B, H, T, D) → (B, H, D, T)
 * ```
 */
export function transpose(x: Tensor): Tensor {
  const perm = x.shape.map((_, i) => i);
  perm[x.rank - 1] = x.rank - 2;
  perm[x.rank - 2] = x.rank - 1;
  return permute(x, perm);
}

/**
 * The block starting at `begin` of extent `size` (−1 in `size` means "to the end").
 *
 * @example
 * ```ts
 * const last = slice(hidden, [0, t - 1, 0], [-1, 1, -1]);
 * ```
 */
export function slice(x: Tensor, begin: readonly number[], size: readonly number[]): Tensor {
  if (begin.length !== x.rank || size.length !== x.rank) {
    throw new InvalidArgumentError('slice', 'begin/size', { begin, size }, `need ${x.rank} entries`);
  }
  const sz = size.map((s, i) => (s === -1 ? (x.shape[i] as number) - (begin[i] as number) : s));
  for (let i = 0; i < x.rank; i++) {
    const b = begin[i] as number;
    const s = sz[i] as number;
    if (!Number.isInteger(b) || !Number.isInteger(s) || b < 0 || s < 0 || b + s > (x.shape[i] as number)) {
      throw new InvalidArgumentError(
        'slice',
        'begin/size',
        { begin, size },
        `leave tensor [${x.shape.join(', ')}] at axis ${i}`,
      );
    }
  }
  const out = wrap(x.backend, x.backend.slice(x.buffer('slice'), begin, sz), sz, x.dtype);
  return engine.record(out, 'slice', [x], (dy) => [
    pad(
      dy,
      x.shape.map((d, i) => [begin[i] as number, d - (begin[i] as number) - (sz[i] as number)] as const),
    ),
  ]);
}

/**
 * Joins tensors along `axis`.
 *
 * @example
 * ```ts
 * const both = concat([chosenIds, rejectedIds], 0);
 * ```
 */
export function concat(xs: readonly Tensor[], axis: number): Tensor {
  if (xs.length === 0) throw new InvalidArgumentError('concat', 'xs', [], 'must hold at least one tensor');
  const first = xs[0] as Tensor;
  const backend = backendOf('concat', xs);
  const a = normalizeAxis('concat', axis, first.rank);
  for (const t of xs) {
    if (t.dtype !== first.dtype)
      throw new DTypeError(
        'concat',
        xs.map((x) => x.dtype),
        'one dtype',
      );
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new ShapeError(
        'concat',
        xs.map((x) => x.shape),
        `shapes differ off axis ${a}`,
      );
    }
  }
  const shape = [...first.shape];
  shape[a] = xs.reduce((acc, t) => acc + (t.shape[a] as number), 0);
  const out = wrap(
    backend,
    backend.concat(
      xs.map((t) => t.buffer('concat')),
      a,
    ),
    shape,
    first.dtype,
  );
  return engine.record(out, 'concat', xs, (dy) => {
    let offset = 0;
    return xs.map((t) => {
      const begin = t.shape.map((_, i) => (i === a ? offset : 0));
      offset += t.shape[a] as number;
      return slice(dy, begin, t.shape);
    });
  });
}

/**
 * Pads every axis with `[before, after]` elements equal to `value`.
 *
 * @example
 * ```ts
 * const left = pad(ids, [[0, 0], [3, 0]], padId);
 * ```
 */
export function pad(x: Tensor, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  if (
    paddings.length !== x.rank ||
    paddings.some(([b, e]) => !(Number.isInteger(b) && Number.isInteger(e) && b >= 0 && e >= 0))
  ) {
    throw new InvalidArgumentError('pad', 'paddings', paddings, `need ${x.rank} non-negative [before, after] pairs`);
  }
  const shape = x.shape.map((d, i) => d + (paddings[i] as [number, number])[0] + (paddings[i] as [number, number])[1]);
  const out = wrap(x.backend, x.backend.pad(x.buffer('pad'), paddings, value), shape, x.dtype);
  return engine.record(out, 'pad', [x], (dy) => [
    slice(
      dy,
      paddings.map(([b]) => b),
      x.shape,
    ),
  ]);
}

/**
 * Broadcasts to `shape` (NumPy rules).
 *
 * @example
 * ```ts
 * const big = broadcastTo(bias, [4, 8]);
 * ```
 */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  const target = broadcastShapes('broadcastTo', x.shape, shape);
  if (!shapesEqual(target, shape)) throw new ShapeError('broadcastTo', [x.shape, shape], 'cannot broadcast');
  if (shapesEqual(x.shape, shape)) return x;
  const out = wrap(x.backend, x.backend.broadcastTo(x.buffer('broadcastTo'), shape), shape, x.dtype);
  return engine.record(out, 'broadcastTo', [x], (dy) => [unbroadcast(dy, x.shape)]);
}

/**
 * Inserts a size-1 axis at `axis`.
 *
 * @example
 * ```ts
 * const col = expandDims(v, -1); // (N) → (N, 1)
 * ```
 */
export function expandDims(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis('expandDims', axis, x.rank + 1);
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/**
 * Removes size-1 axes (the given ones, or all).
 *
 * @example
 * ```ts
 * const v = squeeze(col, [-1]);
 * ```
 */
export function squeeze(x: Tensor, axes?: readonly number[]): Tensor {
  const drop = new Set(
    (axes ?? x.shape.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => normalizeAxis('squeeze', a, x.rank)),
  );
  for (const a of drop) {
    if (x.shape[a] !== 1) throw new InvalidArgumentError('squeeze', 'axes', axes, `axis ${a} has size ${x.shape[a]}`);
  }
  return reshape(
    x,
    x.shape.filter((_, i) => !drop.has(i)),
  );
}
