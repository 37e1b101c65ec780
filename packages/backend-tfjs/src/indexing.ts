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
export function scatterAddKernel(
  tf: Tfjs,
  updates: TfTensor,
  indices: TfTensor,
  axis: number,
  size: number,
  onHost: boolean,
): TfTensor {
  const rankI = indices.rank;
  const shape = updates.shape;
  const lead = shape.slice(0, axis); // A...
  const trail = shape.slice(axis + rankI); // B...
  const outShape = [...lead, size, ...trail];
  const n = indices.size;
  const dtype = updates.dtype as 'float32' | 'int32';
  if (n === 0 || outShape.includes(0)) return tf.zeros(outShape, dtype);
  if (onHost && n * outShape.reduce((p, d) => p * d, 1) > HOST_SCATTER_WORK) {
    return hostScatterAdd(tf, updates, indices, lead, trail, size, outShape);
  }
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

/**
 * Above this many (output element, update) pairs, scatterAdd on tfjs's webgl backend runs on the host. Its
 * ScatterNd shader loops over every update for each output element (WebGL 2 has no atomics to push with),
 * so the cross-entropy gradient of (1024, 512) logits is 1,024 × 524,288 iterations: 6.8 s of a 38 s
 * Llama step on SwiftShader. The host does it in one pass after one read of updates and indices.
 */
const HOST_SCATTER_WORK = 1 << 22;

/**
 * scatterAdd on the host: updates (A, n, B) and indices (n) read back, summed into (A, size, B) in float64
 * (int32 wraps as 32-bit), written back as one tensor.
 */
export function hostScatterAdd(
  tf: Tfjs,
  updates: TfTensor,
  indices: TfTensor,
  lead: number[],
  trail: number[],
  size: number,
  outShape: number[],
): TfTensor {
  const u = updates.dataSync();
  const idx = indices.dataSync();
  const [a, b, n] = [lead.reduce((p, d) => p * d, 1), trail.reduce((p, d) => p * d, 1), idx.length];
  const sum = new Float64Array(a * size * b);
  for (let ai = 0; ai < a; ai++) {
    for (let i = 0; i < n; i++) {
      const j = idx[i] as number;
      if (j < 0 || j >= size) throw new RangeError(`scatterAdd: index ${j} is out of range [0, ${size - 1}]`);
      const src = (ai * n + i) * b;
      const dst = (ai * size + j) * b;
      for (let k = 0; k < b; k++) sum[dst + k] = (sum[dst + k] as number) + (u[src + k] as number);
    }
  }
  if (updates.dtype === 'int32')
    return tf.tensor(
      Int32Array.from(sum, (v) => v | 0),
      outShape,
      'int32',
    );
  return tf.tensor(new Float32Array(sum), outShape, 'float32');
}
