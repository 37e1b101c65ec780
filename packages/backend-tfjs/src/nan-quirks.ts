import type { Tfjs } from './tfjs-types.js';

/**
 * Where the active tfjs backend's kernels drop a NaN that the specification keeps. Each kernel is probed
 * once, on tiny tensors, when the backend is created; only the kernels that drop NaN pay for the
 * correction (tfjs 4.22's backends differ: its cpu kernels follow `Math.max`, its wasm kernels `std::max`, its webgl shaders special-case a == b).
 */
export interface NanQuirks {
  /** `relu(NaN)` is not NaN. */
  relu: boolean;
  /** `sign(NaN)` is not NaN. */
  sign: boolean;
  /** `maximum`/`minimum` with one NaN operand are not NaN. */
  maximum: boolean;
  /** `max`/`min` reductions over a set holding a NaN are not NaN. */
  reduce: boolean;
  /** `argMax` does not return the index of the first NaN. */
  argMax: boolean;
  /** `div` gives 1 for 0/0 or ∞/∞ (tfjs's webgl shader returns 1 whenever a == b). */
  div: boolean;
}

/**
 * Probes the active tfjs backend (see {@link NanQuirks}); every probe tensor is disposed. A probe that
 * cannot run (a tfjs backend without synchronous reads, such as webgpu) counts as a quirk: the correction
 * is then always applied, which is right on every backend.
 *
 * @example
 * ```ts
 * const quirks = probeNanQuirks(tf); // { relu: false, sign: true, ... } on tfjs's cpu backend
 * ```
 */
export function probeNanQuirks(tf: Tfjs): NanQuirks {
  const notNaN = (t: () => import('@tensorflow/tfjs-core').Tensor) => {
    try {
      return tf.tidy(() => t().dataSync()).some((v) => !Number.isNaN(v));
    } catch {
      return true;
    }
  };
  const pair = () => tf.tensor1d([Number.NaN, 1, 2, Number.NaN]);
  const other = () => tf.tensor1d([1, Number.NaN, Number.NaN, 3]);
  return {
    div: notNaN(() => tf.div(tf.tensor1d([0, Number.POSITIVE_INFINITY]), tf.tensor1d([0, Number.POSITIVE_INFINITY]))),
    relu: notNaN(() => tf.relu(tf.tensor1d([Number.NaN]))),
    sign: notNaN(() => tf.sign(tf.tensor1d([Number.NaN]))),
    maximum:
      notNaN(() => tf.maximum(pair(), other())) ||
      notNaN(() => tf.minimum(pair(), other())) ||
      notNaN(() => tf.maximum(other(), pair())) ||
      notNaN(() => tf.minimum(other(), pair())),
    reduce:
      notNaN(() => tf.max(tf.tensor2d([1, Number.NaN, Number.NaN, 1, 2, Number.NaN], [3, 2]), 1)) ||
      notNaN(() => tf.min(tf.tensor2d([1, Number.NaN, Number.NaN, 1, 2, Number.NaN], [3, 2]), 1)),
    argMax: (() => {
      try {
        return tf.tidy(() => {
          const got = tf.argMax(tf.tensor2d([1, Number.NaN, 5, Number.NaN, 2, Number.NaN, 9, 3], [2, 4]), 1).dataSync();
          return got[0] !== 1 || got[1] !== 1;
        });
      } catch {
        return true;
      }
    })(),
  };
}
