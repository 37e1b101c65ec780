import type { NumericArray } from './js-buffer.js';

/** Tile edge of the blocked transpose: 32×32 tiles of both matrices stay in L1 (8 KiB each as float64). */
const TILE = 32;

/**
 * Writes the transpose of the `rows × cols` row-major matrix at `src[srcOff…]` into `dst[dstOff…]`
 * (`cols × rows`), tile by tile so that both reads and writes stay cache-resident.
 *
 * @example
 * ```ts
 * const t = new Float32Array(6);
 * transposeInto(new Float32Array([1, 2, 3, 4, 5, 6]), 0, 2, 3, t, 0); // t = [1, 4, 2, 5, 3, 6]
 * ```
 */
export function transposeInto(
  src: NumericArray,
  srcOff: number,
  rows: number,
  cols: number,
  dst: NumericArray,
  dstOff: number,
): void {
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const i1 = Math.min(rows, i0 + TILE);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const j1 = Math.min(cols, j0 + TILE);
      for (let i = i0; i < i1; i++) {
        const s = srcOff + i * cols;
        for (let j = j0; j < j1; j++) dst[dstOff + j * rows + i] = src[s + j];
      }
    }
  }
}
