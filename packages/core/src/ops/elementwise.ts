import type { BinaryOp, CompareOp, DType, TensorBackend, UnaryOp } from '../backend/backend-spec.js';
import { DTypeError } from '../errors/tensor-errors.js';
import { engine } from '../tensor/engine.js';
import { broadcastShapes } from '../tensor/shape-utils.js';
import type { Tensor, TensorLike } from '../tensor/tensor.js';
import { scalar } from './creation.js';
import { backendOf, wrap } from './op-utils.js';
import { unbroadcast } from './unbroadcast.js';

// ---- unary ----------------------------------------------------------------------------------------

/**
 * Gradient rules of the unary primitives: given x, y = f(x) and dy, return dx.
 * (Derivatives from any calculus table; sigmoid' = y(1−y), tanh' = 1−y².)
 */
const UNARY_GRADS: Record<UnaryOp, ((x: Tensor, y: Tensor, dy: Tensor) => Tensor) | null> = {
  neg: (_x, _y, dy) => neg(dy),
  abs: (x, _y, dy) => mul(dy, sign(x)),
  sign: null,
  exp: (_x, y, dy) => mul(dy, y),
  log: (x, _y, dy) => div(dy, x),
  sqrt: (_x, y, dy) => div(mul(dy, 0.5), y),
  rsqrt: (_x, y, dy) => mul(mul(dy, -0.5), mul(y, square(y))),
  reciprocal: (_x, y, dy) => neg(mul(dy, square(y))),
  square: (x, _y, dy) => mul(dy, mul(x, 2)),
  tanh: (_x, y, dy) => mul(dy, sub(1, square(y))),
  sigmoid: (_x, y, dy) => mul(dy, mul(y, sub(1, y))),
  relu: (x, _y, dy) => where(greater(x, 0), dy, 0),
  sin: (x, _y, dy) => mul(dy, cos(x)),
  cos: (x, _y, dy) => neg(mul(dy, sin(x))),
};

const INT_UNARY: ReadonlySet<UnaryOp> = new Set(['neg', 'abs', 'sign']);

/** Applies an element-wise unary primitive, recording its gradient rule. */
export function unary(op: UnaryOp, x: Tensor): Tensor {
  if (x.dtype !== 'float32' && !INT_UNARY.has(op)) throw new DTypeError(op, [x.dtype], 'float32');
  const y = wrap(x.backend, x.backend.unary(op, x.buffer(op)), x.shape, x.dtype);
  const rule = UNARY_GRADS[op];
  if (rule) engine.record(y, op, [x], (dy) => [rule(x, y, dy)]);
  return y;
}

/** −x. @example `neg(x)` */
export const neg = (x: Tensor): Tensor => unary('neg', x);
/** \|x\|. @example `abs(x)` */
export const abs = (x: Tensor): Tensor => unary('abs', x);
/** Sign of x (−1, 0, 1); zero gradient. @example `sign(x)` */
export const sign = (x: Tensor): Tensor => unary('sign', x);
/** eˣ. @example `exp(x)` */
export const exp = (x: Tensor): Tensor => unary('exp', x);
/** Natural logarithm. @example `log(x)` */
export const log = (x: Tensor): Tensor => unary('log', x);
/** Square root. @example `sqrt(x)` */
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
/** 1/√x. @example `rsqrt(x)` */
export const rsqrt = (x: Tensor): Tensor => unary('rsqrt', x);
/** 1/x. @example `reciprocal(x)` */
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x);
/** x². @example `square(x)` */
export const square = (x: Tensor): Tensor => unary('square', x);
/** Hyperbolic tangent. @example `tanh(x)` */
export const tanh = (x: Tensor): Tensor => unary('tanh', x);
/** Logistic sigmoid 1/(1+e⁻ˣ). @example `sigmoid(x)` */
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x);
/** max(x, 0). @example `relu(x)` */
export const relu = (x: Tensor): Tensor => unary('relu', x);
/** Sine. @example `sin(x)` */
export const sin = (x: Tensor): Tensor => unary('sin', x);
/** Cosine. @example `cos(x)` */
export const cos = (x: Tensor): Tensor => unary('cos', x);

// ---- binary ---------------------------------------------------------------------------------------

type BinaryRule = (a: TensorLike, b: TensorLike, y: Tensor, dy: Tensor) => [Tensor | null, Tensor | null];

/** Gradient rules of the binary primitives (before un-broadcasting to each input's shape). */
const BINARY_GRADS: Record<BinaryOp, BinaryRule> = {
  add: (_a, _b, _y, dy) => [dy, dy],
  sub: (_a, _b, _y, dy) => [dy, neg(dy)],
  mul: (a, b, _y, dy) => [mul(dy, b), mul(dy, a)],
  // d(a/b)/db = −a/b² = −y/b. A number operand gets no gradient (and `mul(b, b)` of two numbers is no op).
  div: (a, b, y, dy) => [isNumber(a) ? null : div(dy, b), isNumber(b) ? null : neg(div(mul(dy, y), b))],
  // d(aᵇ)/da = b·aᵇ⁻¹; d(aᵇ)/db = aᵇ·ln a
  pow: (a, b, y, dy) => [
    isNumber(a) ? null : mul(dy, mul(b, pow(a, isNumber(b) ? b - 1 : sub(b, 1)))),
    isNumber(b) ? null : mul(dy, mul(y, log(asTensor(a, y)))),
  ],
  // Ties split the gradient evenly, as PyTorch does for maximum/minimum.
  maximum: (a, b, _y, dy) => splitByComparison(a, b, dy, 'greater'),
  minimum: (a, b, _y, dy) => splitByComparison(a, b, dy, 'less'),
};

function isNumber(v: TensorLike): v is number {
  return typeof v === 'number';
}

function asTensor(v: TensorLike, like: Tensor): Tensor {
  return typeof v === 'number' ? scalar(like.backend, v, like.dtype) : v;
}

function splitByComparison(a: TensorLike, b: TensorLike, dy: Tensor, op: 'greater' | 'less'): [Tensor, Tensor] {
  const wins = cast(compare(op, a, b, dy), 'float32');
  const ties = mul(cast(compare('equal', a, b, dy), 'float32'), 0.5);
  const shareA = add(wins, ties);
  return [mul(dy, shareA), mul(dy, sub(1, shareA))];
}

/**
 * Applies an element-wise binary primitive with broadcasting. A plain number stands for a scalar of the
 * other operand's dtype.
 */
export function binary(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const [x, y, temps] = operands(op, a, b);
  if (x.dtype !== y.dtype) throw new DTypeError(op, [x.dtype, y.dtype], 'equal dtypes');
  if ((op === 'div' || op === 'pow') && x.dtype !== 'float32') throw new DTypeError(op, [x.dtype], 'float32');
  const backend = backendOf(op, [x, y]);
  const shape = broadcastShapes(op, x.shape, y.shape);
  const out = wrap(backend, backend.binary(op, x.buffer(op), y.buffer(op)), shape, x.dtype);
  for (const t of temps) t.dispose();
  const inputs = [a, b].filter((v): v is Tensor => typeof v !== 'number');
  engine.record(out, op, inputs, (dy) => {
    const [ga, gb] = BINARY_GRADS[op](a, b, out, dy);
    const grads: (Tensor | null)[] = [];
    if (typeof a !== 'number') grads.push(ga && unbroadcast(ga, a.shape));
    if (typeof b !== 'number') grads.push(gb && unbroadcast(gb, b.shape));
    return grads;
  });
  return out;
}

/** Resolves number operands to temporary scalars (disposed right after the kernel runs). */
function operands(
  op: string,
  a: TensorLike,
  b: TensorLike,
  fallback?: { backend: TensorBackend; dtype: DType },
): [Tensor, Tensor, Tensor[]] {
  const ref = typeof a !== 'number' ? a : typeof b !== 'number' ? b : fallback;
  if (!ref) throw new DTypeError(op, ['number', 'number'], 'at least one tensor operand');
  const temps: Tensor[] = [];
  const resolve = (v: TensorLike): Tensor => {
    if (typeof v !== 'number') return v;
    const s = scalar(ref.backend, v, ref.dtype);
    temps.push(s);
    return s;
  };
  return [resolve(a), resolve(b), temps];
}

/** a + b (broadcasting). @example `add(x, 1)` */
export const add = (a: TensorLike, b: TensorLike): Tensor => binary('add', a, b);
/** a − b (broadcasting). @example `sub(x, y)` */
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary('sub', a, b);
/** a · b (broadcasting). @example `mul(x, 0.5)` */
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary('mul', a, b);
/** a / b (broadcasting, float32). @example `div(x, n)` */
export const div = (a: TensorLike, b: TensorLike): Tensor => binary('div', a, b);
/** aᵇ (broadcasting, float32). @example `pow(x, 3)` */
export const pow = (a: TensorLike, b: TensorLike): Tensor => binary('pow', a, b);
/** Element-wise maximum (NaN wins). @example `maximum(x, 0)` */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binary('maximum', a, b);
/** Element-wise minimum (NaN wins). @example `minimum(x, 1)` */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binary('minimum', a, b);

// ---- comparisons, where, cast ---------------------------------------------------------------------

/**
 * Element-wise comparison with broadcasting → int32 0/1. Never differentiable.
 *
 * @example
 * ```ts
 * const positive = compare('greater', x, 0);
 * ```
 */
export function compare(op: CompareOp, a: TensorLike, b: TensorLike, like?: Tensor): Tensor {
  const [x, y, temps] = operands(op, a, b, like);
  if (x.dtype !== y.dtype) throw new DTypeError(op, [x.dtype, y.dtype], 'equal dtypes');
  const backend = backendOf(op, [x, y]);
  const shape = broadcastShapes(op, x.shape, y.shape);
  const out = wrap(backend, backend.compare(op, x.buffer(op), y.buffer(op)), shape, 'int32');
  for (const t of temps) t.dispose();
  return out;
}

/** a == b → int32 0/1. @example `equal(ids, padId)` */
export const equal = (a: TensorLike, b: TensorLike): Tensor => compare('equal', a, b);
/** a != b → int32 0/1. @example `notEqual(labels, -100)` */
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => compare('notEqual', a, b);
/** a < b → int32 0/1. @example `less(x, 0)` */
export const less = (a: TensorLike, b: TensorLike): Tensor => compare('less', a, b);
/** a > b → int32 0/1. @example `greater(x, 0)` */
export const greater = (a: TensorLike, b: TensorLike): Tensor => compare('greater', a, b);

/**
 * `cond ? a : b` element-wise with broadcasting; cond is int32 (non-zero = true). Gradients flow to the
 * branch that was taken.
 *
 * @example
 * ```ts
 * const masked = where(mask, scores, -Infinity);
 * ```
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (cond.dtype !== 'int32') throw new DTypeError('where', [cond.dtype], 'an int32 condition');
  const [x, y, temps] = operands('where', a, b, { backend: cond.backend, dtype: 'float32' });
  if (x.dtype !== y.dtype) throw new DTypeError('where', [x.dtype, y.dtype], 'equal dtypes for both branches');
  const backend = backendOf('where', [cond, x, y]);
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, x.shape), y.shape);
  const out = wrap(backend, backend.where(cond.buffer('where'), x.buffer('where'), y.buffer('where')), shape, x.dtype);
  for (const t of temps) t.dispose();
  const inputs = [a, b].filter((v): v is Tensor => typeof v !== 'number');
  engine.record(out, 'where', inputs, (dy) => {
    const grads: Tensor[] = [];
    if (typeof a !== 'number') grads.push(unbroadcast(where(cond, dy, 0), a.shape));
    if (typeof b !== 'number') grads.push(unbroadcast(where(cond, 0, dy), b.shape));
    return grads;
  });
  return out;
}

/**
 * Converts dtype (float32 → int32 truncates toward zero). Gradients pass only float32 → float32.
 *
 * @example
 * ```ts
 * const m = cast(notEqual(labels, -100), 'float32');
 * ```
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  const out = wrap(x.backend, x.backend.cast(x.buffer('cast'), dtype), x.shape, dtype);
  if (x.dtype === 'float32' && dtype === 'float32') engine.record(out, 'cast', [x], (dy) => [dy]);
  return out;
}

/**
 * A copy of `x` with no link to the tape.
 *
 * @example
 * ```ts
 * const m = detach(max(x, -1, true));
 * ```
 */
export function detach(x: Tensor): Tensor {
  return wrap(x.backend, x.backend.reshape(x.buffer('detach'), x.shape), x.shape, x.dtype);
}

/**
 * A copy of `x` (recorded on the tape as identity).
 *
 * @example
 * ```ts
 * const y = copy(x);
 * ```
 */
export function copy(x: Tensor): Tensor {
  const out = detach(x);
  return engine.record(out, 'copy', [x], (dy) => [dy]);
}
