import { LINEAR_INDEX, MAIN_1D, PRELUDE } from './wgsl-prelude.js';

/**
 * The one kernel behind permute, slice, pad, broadcastTo, concat and copies: each invocation takes an
 * index of the iteration shape, maps it to an input element through per-axis strides and start offsets
 * (a negative start is padding before, an index outside [0, extent) reads the pad value), and writes it
 * at the output through the output strides (contiguous except for concat, which writes each input into
 * its part of the output). 32-bit words are copied as they are, so one kernel serves both dtypes.
 *
 * Uniforms: 0 n, 1 gridX, 2 pad value bits, 3 output base offset, 4..11 iteration shape, 12..19 input
 * strides, 20..27 input start (i32), 28..35 input extent, 36..43 output strides.
 */
export function stridedCopySource(rank: number, padded: boolean, stridedOut: boolean): string {
  return `${PRELUDE}
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
${MAIN_1D} {${LINEAR_INDEX}
  var rem = i;
  var srcOff = 0i;
  var dstOff = U(3u);
  var inside = true;
  for (var d = ${rank - 1}; d >= 0; d--) {
    let s = U(4u + u32(d));
    let c = rem % s;
    rem = rem / s;
    let j = i32(c) + UI(20u + u32(d));
    ${padded ? 'if (j < 0 || j >= i32(U(28u + u32(d)))) { inside = false; }' : ''}
    srcOff += j * i32(U(12u + u32(d)));
    ${stridedOut ? 'dstOff += c * U(36u + u32(d));' : ''}
  }
  ${stridedOut ? '' : 'dstOff += i;'}
  ${padded ? 'if (!inside) { out[dstOff] = U(2u); return; }' : ''}
  out[dstOff] = src[u32(srcOff)];
}`;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d] as number;
  }
  return strides;
}
