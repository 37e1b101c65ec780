import type { Tfjs, TfTensor } from './tfjs-types.js';

/**
 * NumPy's `take` along `axis`: x (A..., n, B...), indices (I...) int32 → (A..., I..., B...).
 * tfjs's `gather` has exactly this shape rule (batchDims 0).
 */
export function gatherKernel(tf: Tfjs, x: TfTensor, indices: TfTensor, axis: number): TfTensor {
  return tf.gather(x, indices, axis);
}

/**
 * The adjoint of gather: zeros of shape (A..., size, B...) plus each slice of `updates` (A..., I..., B...)
 * at `indices` (I...) along `axis`, repeated indices accumulating. Built on tfjs's `scatterND`, which adds
 * duplicates and scatters along the first axis only:
 * updates → permute to (I..., A..., B...) → reshape (N, A..., B...) with N = |I| →
 * scatterND(indices (N, 1), ·, (size, A..., B...)) → permute the scattered axis back to position `axis`.
 */
export function scatterAddKernel(tf: Tfjs, updates: TfTensor, indices: TfTensor, axis: number, size: number): TfTensor {
  const rankI = indices.rank;
  const shape = updates.shape;
  const lead = shape.slice(0, axis); // A...
  const trail = shape.slice(axis + rankI); // B...
  const outShape = [...lead, size, ...trail];
  const n = indices.size;
  const dtype = updates.dtype as 'float32' | 'int32';
  if (n === 0 || outShape.includes(0)) return tf.zeros(outShape, dtype);
  return tf.tidy(() => {
    // (A..., I..., B...) → (I..., A..., B...)
    const perm = [
      ...Array.from({ length: rankI }, (_, i) => axis + i),
      ...Array.from({ length: axis }, (_, i) => i),
      ...Array.from({ length: trail.length }, (_, i) => axis + rankI + i),
    ];
    const moved = axis === 0 ? updates : tf.transpose(updates, perm);
    const flat = tf.reshape(moved, [n, ...lead, ...trail]);
    const scattered = tf.scatterND(tf.reshape(indices, [n, 1]), flat, [size, ...lead, ...trail]);
    if (axis === 0) return scattered;
    // (size, A..., B...) → (A..., size, B...)
    const back = [
      ...Array.from({ length: axis }, (_, i) => i + 1),
      0,
      ...Array.from({ length: trail.length }, (_, i) => axis + 1 + i),
    ];
    return tf.transpose(scattered, back);
  });
}
