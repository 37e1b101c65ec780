import { add, arange, cast, equal, less, matmul, mul, noGrad, reshape, sum, type Tensor, tensor } from '@rlhf/core';

/**
 * The values of a vector in ascending order, differentiable like `torch.sort(x, dim=0).values` (AOT sorts
 * the batch's log-ratios; Melnyk et al. 2024, "Distributional Preference Alignment of LLMs via Optimal
 * Transport", arXiv:2406.05882). The permutation is found off the tape as a 0/1 matrix P with
 * `P[k, i] = 1` when `x_i` has rank k (ties broken by index), and the result is `P · x`, so the gradient of
 * each sorted entry goes back to the entry it came from. Costs B² comparisons (B is a micro-batch).
 * x (B) → (B).
 *
 * @example
 * ```ts
 * sortAscending(tensor(backend, [3, -1, 2], [3])); // [-1, 2, 3]
 * ```
 */
export function sortAscending(x: Tensor): Tensor {
  const b = x.shape[0] as number;
  const permutation = noGrad(() => {
    const column = reshape(x, [b, 1]); // x_i down the rows
    const row = reshape(x, [1, b]); // x_j along the columns
    const earlier = new Float32Array(b * b); // [i, j] = 1 when j < i: equal values keep their order
    for (let i = 0; i < b; i++) for (let j = 0; j < i; j++) earlier[i * b + j] = 1;
    const smaller = cast(less(row, column), x.dtype); // [i, j] = 1 when x_j < x_i, (B, B)
    const tiedEarlier = mul(cast(equal(row, column), x.dtype), tensor(x.backend, earlier, [b, b], x.dtype));
    const rank = add(sum(smaller, 1), sum(tiedEarlier, 1)); // (B): entries placed before x_i
    const k = reshape(arange(x.backend, 0, b, x.dtype), [b, 1]); // (B, 1)
    return cast(equal(reshape(rank, [1, b]), k), x.dtype); // P[k, i] = rank_i == k, (B, B)
  });
  return reshape(matmul(permutation, reshape(x, [b, 1])), [b]); // (B, B)·(B, 1) → (B)
}
