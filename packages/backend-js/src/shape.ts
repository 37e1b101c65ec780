/**
 * Number of elements of a shape (1 for a scalar).
 *
 * @example
 * ```ts
 * sizeOf([2, 3]); // 6
 * sizeOf([]); // 1
 * ```
 */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Row-major strides of a shape: `strides[i] = Π shape[i+1..]`.
 *
 * @example
 * ```ts
 * stridesOf([2, 3, 4]); // [12, 4, 1]
 * ```
 */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/**
 * NumPy broadcasting of several shapes (right-aligned; 1 stretches). Core has validated them.
 *
 * @example
 * ```ts
 * broadcastShape([2, 1, 3], [4, 1]); // [2, 4, 3]
 * ```
 */
export function broadcastShape(...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const d = s[i];
      const o = rank - s.length + i;
      if (d !== 1) out[o] = d;
    }
  }
  return out;
}

/**
 * Strides with which an input of `inShape` is read when broadcast to `outShape` (one per output axis):
 * its own row-major stride, or 0 where it is missing or has size 1.
 *
 * @example
 * ```ts
 * broadcastStrides([3], [2, 3]); // [0, 1]
 * broadcastStrides([2, 1], [2, 3]); // [1, 0]
 * ```
 */
export function broadcastStrides(inShape: readonly number[], outShape: readonly number[]): number[] {
  const own = stridesOf(inShape);
  const offset = outShape.length - inShape.length;
  return outShape.map((_, i) => {
    const j = i - offset;
    return j < 0 || inShape[j] === 1 ? 0 : own[j];
  });
}

/**
 * True when two shapes are equal.
 *
 * @example
 * ```ts
 * sameShape([2, 3], [2, 3]); // true
 * ```
 */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
