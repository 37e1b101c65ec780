import { DTypeError, ShapeError, type Tensor } from '@rlhf/core';

/**
 * Checks that chosen and rejected rewards (and margins, when given) are float vectors of one shape (B).
 *
 * @example
 * ```ts
 * checkPairShapes('bradleyTerryLoss', chosen, rejected); // throws ShapeError on (2) vs (3)
 * ```
 */
export function checkPairShapes(op: string, chosen: Tensor, rejected: Tensor, margin?: Tensor): void {
  const all = margin ? [chosen, rejected, margin] : [chosen, rejected];
  if (all.some((t) => t.dtype !== 'float32'))
    throw new DTypeError(
      op,
      all.map((t) => t.dtype),
      'float32 rewards',
    );
  const [b] = chosen.shape;
  if (chosen.rank !== 1 || all.some((t) => t.rank !== 1 || t.shape[0] !== b)) {
    throw new ShapeError(
      op,
      all.map((t) => t.shape),
      'chosen, rejected (and margin) must all be vectors of the same length (B)',
    );
  }
}
