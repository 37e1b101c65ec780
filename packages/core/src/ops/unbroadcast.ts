import type { Shape } from '../backend/backend-spec.js';
import { shapesEqual } from '../tensor/shape-utils.js';
import type { Tensor } from '../tensor/tensor.js';
import { reshape } from './movement.js';
import { sum } from './reduce.js';

/**
 * Sums a broadcast gradient back to `shape` (the adjoint of broadcasting): leading axes that broadcasting
 * added are summed away, and axes where `shape` has 1 are summed with keepDims.
 */
export function unbroadcast(grad: Tensor, shape: Shape): Tensor {
  if (shapesEqual(grad.shape, shape)) return grad;
  const lead = grad.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < grad.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && grad.shape[i] !== 1)) axes.push(i);
  }
  const summed = axes.length > 0 ? sum(grad, axes, true) : grad;
  return reshape(summed, shape);
}
