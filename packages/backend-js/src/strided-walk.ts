/**
 * Walks a shape in row-major order for several operands at once, each read (or written) with its own
 * strides, one *run* at a time: a run is the innermost axis after merging every axis that all operands
 * traverse contiguously. Kernels do their per-element work in a tight loop over a run and step between
 * runs with {@link StridedWalk.next}, so no per-element index arithmetic is ever needed.
 *
 * Merging rule (NumPy's nditer "coalescing"): axes d and d+1 merge when, for every operand,
 * `stride[d] = stride[d+1] · dim[d+1]`. Size-1 axes are dropped first.
 *
 * @example
 * ```ts
 * // out (4, 8) = x (4, 8) + bias (8): 4 runs of 8, both inputs at unit stride.
 * const walk = new StridedWalk([4, 8], [[8, 1], [8, 1], [0, 1]]);
 * for (let r = 0; r < walk.runs; r++) {
 *   const [o, ix, ib] = walk.offsets;
 *   for (let i = 0; i < walk.runLength; i++) out[o + i] = x[ix + i] + bias[ib + i];
 *   walk.next();
 * }
 * ```
 */
export class StridedWalk {
  /** Elements in each run (1 when every axis was dropped, e.g. a scalar). */
  readonly runLength: number;
  /** Stride of each operand along a run (typically 0 or 1). */
  readonly runStrides: number[];
  /** How many runs there are (0 when the shape has a size-0 axis). */
  readonly runs: number;
  /** Start offset of each operand for the current run. */
  readonly offsets: number[];
  private readonly outerDims: number[];
  /** Outer strides, operand-major: `outerStrides[op · outerRank + d]`. */
  private readonly outerStrides: number[] = [];
  private readonly index: number[];

  /**
   * @param shape - the iteration space (usually the output shape).
   * @param strides - one stride list per operand, each with `shape.length` entries.
   * @param baseOffsets - start offset of each operand (default 0).
   */
  constructor(shape: readonly number[], strides: readonly (readonly number[])[], baseOffsets?: readonly number[]) {
    const ops = strides.length;
    this.offsets = baseOffsets ? [...baseOffsets] : new Array<number>(ops).fill(0);
    // Coalesce from the innermost axis outwards, skipping size-1 axes.
    const dims: number[] = [];
    const st: number[][] = strides.map(() => []);
    let empty = false;
    for (let d = shape.length - 1; d >= 0; d--) {
      const n = shape[d];
      if (n === 0) empty = true;
      if (n === 1) continue;
      const last = dims.length - 1;
      if (last >= 0 && strides.every((s, k) => s[d] === st[k][last] * dims[last])) {
        dims[last] *= n;
      } else {
        dims.push(n);
        for (let k = 0; k < ops; k++) st[k].push(strides[k][d]);
      }
    }
    dims.reverse();
    for (const s of st) s.reverse();

    const rank = dims.length;
    this.runLength = rank === 0 ? 1 : dims[rank - 1];
    this.runStrides = st.map((s) => (rank === 0 ? 0 : s[rank - 1]));
    this.outerDims = dims.slice(0, Math.max(0, rank - 1));
    for (const s of st) for (let d = 0; d < rank - 1; d++) this.outerStrides.push(s[d]);
    this.index = new Array<number>(this.outerDims.length).fill(0);
    let runs = 1;
    for (const n of this.outerDims) runs *= n;
    this.runs = empty ? 0 : runs;
  }

  /** Advances {@link StridedWalk.offsets} to the next run (an odometer over the outer axes). */
  next(): void {
    const dims = this.outerDims;
    const rank = dims.length;
    const offsets = this.offsets;
    const ops = offsets.length;
    for (let d = rank - 1; d >= 0; d--) {
      const n = dims[d];
      const i = this.index[d] + 1;
      if (i < n) {
        this.index[d] = i;
        for (let k = 0; k < ops; k++) offsets[k] += this.outerStrides[k * rank + d];
        return;
      }
      this.index[d] = 0;
      for (let k = 0; k < ops; k++) offsets[k] -= this.outerStrides[k * rank + d] * (n - 1);
    }
  }
}
