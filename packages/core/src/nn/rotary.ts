import type { TensorBackend } from '../backend/backend-spec.js';
import { InvalidArgumentError } from '../errors/tensor-errors.js';
import { tensor } from '../ops/creation.js';
import { add, mul, neg } from '../ops/elementwise.js';
import { concat, slice } from '../ops/movement.js';
import type { Tensor } from '../tensor/tensor.js';

/** Cosine and sine tables of rotary embeddings, each (B or 1, 1, T, Dh), broadcasting over heads. */
export interface RotaryTables {
  /** Cosines of the angles, (B or 1, 1, T, Dh). */
  cos: Tensor;
  /** Sines of the angles, (B or 1, 1, T, Dh). */
  sin: Tensor;
}

/**
 * Rotary position tables (Su et al. 2021, RoFormer eq. 34) in Hugging Face's rotate-half layout:
 * `inv_freqᵢ = θ^(−2i/Dh)` for i < Dh/2, angle `= pos · inv_freqᵢ`, and `cos`/`sin` of
 * `[angles, angles]` (the two halves repeated). `positions` is (B, T) row-major (or (T) for B = 1).
 *
 * @example
 * ```ts
 * const { cos, sin } = rotaryTables(backend, [0, 1, 2, 3], 1, 4, 16, 10000);
 * ```
 */
export function rotaryTables(
  backend: TensorBackend,
  positions: ArrayLike<number>,
  batch: number,
  seqLen: number,
  headDim: number,
  theta: number,
): RotaryTables {
  if (headDim % 2 !== 0) throw new InvalidArgumentError('rotaryTables', 'headDim', headDim, 'must be even');
  if (positions.length !== batch * seqLen) {
    throw new InvalidArgumentError(
      'rotaryTables',
      'positions',
      positions.length,
      `must hold batch·seqLen = ${batch * seqLen} entries`,
    );
  }
  const half = headDim / 2;
  const invFreq = Array.from({ length: half }, (_, i) => theta ** (-(2 * i) / headDim));
  const cos = new Float32Array(batch * seqLen * headDim);
  const sin = new Float32Array(batch * seqLen * headDim);
  for (let r = 0; r < batch * seqLen; r++) {
    const pos = positions[r] as number;
    for (let i = 0; i < half; i++) {
      const angle = pos * (invFreq[i] as number);
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      cos[r * headDim + i] = c;
      cos[r * headDim + half + i] = c;
      sin[r * headDim + i] = s;
      sin[r * headDim + half + i] = s;
    }
  }
  const shape = [batch, 1, seqLen, headDim];
  return { cos: tensor(backend, cos, shape), sin: tensor(backend, sin, shape) };
}

/**
 * `rotate_half(x) = [−x₂, x₁]` where x₁, x₂ are the two halves of the last axis (Hugging Face's
 * `rotate_half`).
 *
 * @example
 * ```ts
 * const r = rotateHalf(q); // (B, H, T, Dh)
 * ```
 */
export function rotateHalf(x: Tensor): Tensor {
  const d = x.shape[x.rank - 1] as number;
  const begin = x.shape.map(() => 0);
  const size = x.shape.map((s) => s);
  size[x.rank - 1] = d / 2;
  const x1 = slice(x, begin, size);
  const begin2 = [...begin];
  begin2[x.rank - 1] = d / 2;
  const x2 = slice(x, begin2, size);
  return concat([neg(x2), x1], x.rank - 1);
}

/**
 * Applies rotary embeddings: `x·cos + rotate_half(x)·sin` (Hugging Face's `apply_rotary_pos_emb`).
 * Shapes: x (B, H, T, Dh), tables (B or 1, 1, T, Dh) → (B, H, T, Dh).
 *
 * @example
 * ```ts
 * const qr = applyRotary(q, tables);
 * ```
 */
export function applyRotary(x: Tensor, tables: RotaryTables): Tensor {
  return add(mul(x, tables.cos), mul(rotateHalf(x), tables.sin));
}
