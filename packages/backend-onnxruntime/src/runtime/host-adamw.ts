/**
 * One AdamW update on host arrays, in one pass over the parameter (instead of the thirteen element-wise
 * graph nodes a chain of ONNX ops needs, each reading and writing the whole parameter). The form is
 * `torch.optim.AdamW`'s (Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization", Algorithm 2),
 * as `emitAdamw` writes it, with the constants `k` of `adamwConstants` (c = √(1 − β₂ᵗ)):
 *
 *   m ← β₁·m + (1 − β₁)·g
 *   v ← β₂·v + (1 − β₂)·g²
 *   p ← p·(1 − lr·wd) − (c·lr / (1 − β₁ᵗ)) · m / (√v + c·eps)
 *
 * Shapes: p, g, m, v and the three outputs all hold n elements (any shape, flat). Outputs may be the
 * same arrays as p, m and v (an in-place update): each element is read before it is written.
 *
 * @example
 * ```ts
 * hostAdamw(k, p, g, m, v, p, m, v); // in place
 * ```
 */
export function hostAdamw(
  k: Float32Array,
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  pOut: Float32Array,
  mOut: Float32Array,
  vOut: Float32Array,
): void {
  // k: decay, beta1, 1 − beta1, beta2, 1 − beta2, step size, eps (see adamwConstants).
  const decay = k[0] as number;
  const beta1 = k[1] as number;
  const oneMinusBeta1 = k[2] as number;
  const beta2 = k[3] as number;
  const oneMinusBeta2 = k[4] as number;
  const stepSize = k[5] as number;
  const eps = k[6] as number;
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i] as number;
    const mi = Math.fround(beta1 * (m[i] as number) + oneMinusBeta1 * gi);
    const vi = Math.fround(beta2 * (v[i] as number) + oneMinusBeta2 * gi * gi);
    mOut[i] = mi;
    vOut[i] = vi;
    pOut[i] = (p[i] as number) * decay - (stepSize * mi) / (Math.sqrt(vi) + eps);
  }
}
