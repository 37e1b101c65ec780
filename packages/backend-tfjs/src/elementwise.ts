import type { BinaryOp, CompareOp, DType, UnaryOp } from '@rlhf/core';
import type { NanQuirks } from './nan-quirks.js';
import type { Tfjs, TfTensor } from './tfjs-types.js';

/**
 * Element-wise unary op on tfjs (same shape and dtype out). Where the active tfjs kernel of `sign` or
 * `relu` maps NaN to a number (see {@link NanQuirks}), NaN is put back (the specification keeps it).
 */
export function unaryKernel(tf: Tfjs, op: UnaryOp, x: TfTensor, quirks: NanQuirks): TfTensor {
  switch (op) {
    case 'neg':
      return tf.neg(x);
    case 'abs':
      return tf.abs(x);
    case 'sign':
      return x.dtype === 'int32' || !quirks.sign ? tf.sign(x) : tf.tidy(() => tf.where(tf.isNaN(x), x, tf.sign(x)));
    case 'exp':
      return tf.exp(x);
    case 'log':
      return tf.log(x);
    case 'sqrt':
      return tf.sqrt(x);
    case 'rsqrt':
      return tf.rsqrt(x);
    case 'reciprocal':
      return tf.reciprocal(x);
    case 'square':
      return tf.square(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'relu':
      // relu(NaN) = NaN (spec); put back where the active kernel drops it.
      return !quirks.relu ? tf.relu(x) : tf.tidy(() => tf.where(tf.isNaN(x), x, tf.relu(x)));
    case 'sin':
      return tf.sin(x);
    case 'cos':
      return tf.cos(x);
  }
}

/**
 * Element-wise binary op with NumPy broadcasting (tfjs broadcasts the same way). `maximum`/`minimum`
 * propagate NaN (spec; PyTorch): where the active tfjs kernel drops a NaN (see {@link NanQuirks}), the
 * NaN of either input is put back.
 */
export function binaryKernel(tf: Tfjs, op: BinaryOp, a: TfTensor, b: TfTensor, quirks: NanQuirks): TfTensor {
  switch (op) {
    case 'add':
      return tf.add(a, b);
    case 'sub':
      return tf.sub(a, b);
    case 'mul':
      return a.dtype === 'int32' ? int32Mul(tf, a, b) : tf.mul(a, b);
    case 'div':
      if (!quirks.div) return tf.div(a, b);
      return tf.tidy(() => {
        // a / a is 1 except 0/0 and ±∞/±∞, which are NaN (IEEE 754).
        const r = tf.div(a, b);
        const undefinedRatio = tf.logicalAnd(tf.equal(a, b), tf.logicalOr(tf.equal(a, 0), tf.isInf(a)));
        return tf.where(undefinedRatio, tf.fill(r.shape, Number.NaN), r);
      });
    case 'pow':
      return tf.pow(a, b);
    case 'maximum':
    case 'minimum': {
      const f = op === 'maximum' ? tf.maximum : tf.minimum;
      if (a.dtype === 'int32' || !quirks.maximum) return f(a, b);
      return tf.tidy(() => {
        const r = f(a, b);
        // a + b is NaN exactly when either is NaN (or ∞ − ∞, where max/min is ±∞ and stays as is).
        const nan = tf.logicalOr(tf.isNaN(a), tf.isNaN(b));
        return tf.where(nan, tf.add(a, b), r);
      });
    }
  }
}

/**
 * int32 product that wraps as C's 32-bit two's complement. tfjs's cpu kernel multiplies in float64 and
 * stores into an `Int32Array` (exact only while |a·b| < 2⁵³); splitting b into 16-bit halves keeps each
 * partial product below 2⁴⁸: a·b ≡ a·b_lo + ((a·b_hi mod 2¹⁶)·2¹⁶) (mod 2³²).
 */
function int32Mul(tf: Tfjs, a: TfTensor, b: TfTensor): TfTensor {
  return tf.tidy(() => {
    const base = tf.scalar(65536, 'int32');
    const lo = tf.mod(b, base); // floor mod: b_lo in [0, 2¹⁶)
    const hi = tf.floorDiv(tf.sub(b, lo), base); // b_hi in [−2¹⁵, 2¹⁵)
    // |a·b_lo| < 2⁴⁷ and |a·b_hi| < 2⁴⁶: exact in float64, wrapped once when stored as int32.
    return tf.add(tf.mul(a, lo), tf.mul(tf.mul(a, hi), base));
  });
}

/** Element-wise comparison with broadcasting → `int32` 0/1 (tfjs returns `bool`; cast). */
export function compareKernel(tf: Tfjs, op: CompareOp, a: TfTensor, b: TfTensor): TfTensor {
  return tf.tidy(() => {
    switch (op) {
      case 'equal':
        return tf.cast(tf.equal(a, b), 'int32');
      case 'notEqual':
        return tf.cast(tf.notEqual(a, b), 'int32');
      case 'less':
        return tf.cast(tf.less(a, b), 'int32');
      case 'lessEqual':
        return tf.cast(tf.lessEqual(a, b), 'int32');
      case 'greater':
        return tf.cast(tf.greater(a, b), 'int32');
      case 'greaterEqual':
        return tf.cast(tf.greaterEqual(a, b), 'int32');
    }
  });
}

/** The NumPy broadcast of several shapes (right-aligned; each pair equal or one of them 1). */
export function broadcastShapes(...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i] as number;
      if (d !== 1) out[o] = d;
    }
  }
  return out;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** `cond ? a : b` element-wise with all three broadcast together; `cond` is int32 (non-zero = true). */
export function whereKernel(tf: Tfjs, cond: TfTensor, a: TfTensor, b: TfTensor): TfTensor {
  return tf.tidy(() => {
    const shape = broadcastShapes(cond.shape, a.shape, b.shape);
    const to = (t: TfTensor) => (sameShape(t.shape, shape) ? t : tf.broadcastTo(t, shape));
    return tf.where(tf.cast(to(cond), 'bool'), to(a), to(b));
  });
}

/** The largest float32 below 2³¹ (2³¹ − 128): float32 → int32 casts clip to it before truncating. */
const BELOW_2_POW_31 = 2147483520;

/**
 * Converts dtype. float32 → int32 truncates toward zero, NaN → 0 and out-of-range values (±∞ too)
 * saturate (spec); tfjs's cpu cast wraps like JavaScript's `ToInt32` and maps ∞ to 0, so the value is
 * cleaned and clipped first and values ≥ 2³¹ are set to 2³¹ − 1 afterwards. int32 → float32 rounds to
 * nearest (tfjs's cast).
 */
export function castKernel(tf: Tfjs, x: TfTensor, dtype: DType): TfTensor {
  if (x.dtype === dtype) return tf.clone(x);
  if (dtype === 'float32') return tf.cast(x, 'float32');
  return tf.tidy(() => {
    const clean = tf.where(tf.isNaN(x), tf.zerosLike(x), x);
    const truncated = tf.cast(tf.clipByValue(clean, -2147483648, BELOW_2_POW_31), 'int32');
    return tf.where(tf.greaterEqual(clean, 2147483648), tf.fill(x.shape, 2147483647, 'int32'), truncated);
  });
}
