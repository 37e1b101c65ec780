import { RlhfError } from '@rlhf/core';

/**
 * A weights file holds a NaN or an infinity. The message names the file, the tensor and the first bad
 * element's index.
 *
 * @example
 * ```ts
 * throw new NonFiniteWeightsError('model.safetensors', 'model.norm.weight', 3, Number.NaN);
 * ```
 */
export class NonFiniteWeightsError extends RlhfError {
  /** Builds the error from the weights file, the tensor and the first non-finite element. */
  constructor(
    /** The weights file. */
    readonly file: string,
    /** The tensor (Hugging Face name) holding the value. */
    readonly tensorName: string,
    /** Flat index of the first non-finite element. */
    readonly index: number,
    value: number,
  ) {
    super(
      'WEIGHTS_NON_FINITE',
      `${file}: tensor '${tensorName}' holds ${value} at element ${index}; weights must be finite numbers.`,
    );
  }
}

/**
 * Throws {@link NonFiniteWeightsError} for the first tensor holding NaN or ±Infinity. One pass over the
 * values with one subtraction each (`v - v` is 0 for a finite `v` and NaN otherwise), summed per block so
 * that the branch is taken once per 1,024 values.
 *
 * @example
 * ```ts
 * checkFiniteWeights(content.tensors, 'models/x/model.safetensors');
 * ```
 */
export function checkFiniteWeights(
  tensors: Iterable<readonly [string, { data: Float32Array }]>,
  file = 'model.safetensors',
): void {
  for (const [name, { data }] of tensors) {
    const n = data.length;
    for (let start = 0; start < n; start += 1024) {
      const end = Math.min(n, start + 1024);
      let acc = 0;
      for (let i = start; i < end; i++) acc += (data[i] as number) - (data[i] as number);
      if (acc !== 0) {
        for (let i = start; i < end; i++) {
          const v = data[i] as number;
          if (!Number.isFinite(v)) throw new NonFiniteWeightsError(file, name, i, v);
        }
      }
    }
  }
}
