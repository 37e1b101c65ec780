import type { TensorBackend } from '../backend/backend-spec.js';
import { InvalidArgumentError } from '../errors/tensor-errors.js';
import { tensor } from '../ops/creation.js';
import { add, mul, neg } from '../ops/elementwise.js';
import { runFused } from '../ops/fused.js';
import { gather } from '../ops/indexing.js';
import { concat, reshape, slice } from '../ops/movement.js';
import type { Tensor } from '../tensor/tensor.js';

/** Cosine and sine tables of rotary embeddings, each (B or 1, 1, T, Dh), broadcasting over heads. */
export interface RotaryTables {
  /** Cosines of the angles, (B or 1, 1, T, Dh). */
  cos: Tensor;
  /** Sines of the angles, (B or 1, 1, T, Dh). */
  sin: Tensor;
  /**
   * Whether the second half of each table (along Dh) repeats the first, as {@link rotaryTables} makes
   * them. Only such tables go to a backend's fused `rotary` kernel, which may read the first half only.
   */
  halvesRepeated?: boolean;
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
  return { cos: tensor(backend, cos, shape), sin: tensor(backend, sin, shape), halvesRepeated: true };
}

/**
 * {@link rotaryTables} for positions held in an int32 tensor (B, T), each below `maxPositions`: rows of a
 * table of every position (`maxPositions`, Dh), built on the host as `rotaryTables` builds it, gathered
 * by the positions — the same values, computed from a tensor rather than host numbers (a replayed
 * decoding step reads its positions as an input). Shapes: positions (B, T) → cos, sin (B, 1, T, Dh).
 *
 * @example
 * ```ts
 * const { cos, sin } = rotaryTablesAt(positions, 512, 16, 10000); // positions int32 (1, 1)
 * ```
 */
export function rotaryTablesAt(positions: Tensor, maxPositions: number, headDim: number, theta: number): RotaryTables {
  const [b, t] = positions.shape as [number, number];
  const all = rotaryTables(
    positions.backend,
    Int32Array.from({ length: maxPositions }, (_, i) => i),
    1,
    maxPositions,
    headDim,
    theta,
  );
  const flat = reshape(positions, [b * t]);
  const rows = (table: Tensor) => reshape(gather(reshape(table, [maxPositions, headDim]), flat, 0), [b, 1, t, headDim]);
  return { cos: rows(all.cos), sin: rows(all.sin), halvesRepeated: true };
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
 * Per pair `(xᵢ, xᵢ₊Dh/2)` this is a rotation by the angle θᵢ, so its gradient is the rotation by −θᵢ:
 * `∂x = ∂y·cos + rotate_half(∂y)·(−sin)` (RoFormer §3.4.2: the matrix is orthogonal). With tables from
 * {@link rotaryTables} (constants, no gradient) it runs as the backend's fused `rotary` kernel when
 * offered; tables that need a gradient, or other shapes, are composed from primitives.
 *
 * @example
 * ```ts
 * const qr = applyRotary(q, tables);
 * ```
 */
export function applyRotary(x: Tensor, tables: RotaryTables): Tensor {
  const { cos, sin } = tables;
  const composed = () => add(mul(x, cos), mul(rotateHalf(x), sin));
  if (!tables.halvesRepeated || cos.requiresGrad || sin.requiresGrad || !rotaryShapes(x, cos, sin)) return composed();
  return runFused(
    'rotary',
    [x, cos, sin],
    (b) => b.fused.rotary?.(x.buffer('rotary'), cos.buffer('rotary'), sin.buffer('rotary')),
    composed,
    (_y, dy) => [applyRotary(dy, { cos, sin: neg(sin), halvesRepeated: true }), null, null],
  );
}

/** x (B, H, T, Dh) with even Dh; cos and sin (B or 1, 1, T, Dh), equal shapes. */
function rotaryShapes(x: Tensor, cos: Tensor, sin: Tensor): boolean {
  const [b, , t, d] = x.shape;
  const [cb, one, ct, cd] = cos.shape;
  return (
    x.rank === 4 &&
    cos.rank === 4 &&
    (d as number) % 2 === 0 &&
    (cb === 1 || cb === b) &&
    one === 1 &&
    ct === t &&
    cd === d &&
    sin.shape.every((s, i) => s === cos.shape[i])
  );
}
