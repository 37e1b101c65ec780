const LITTLE_ENDIAN_PLATFORM = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Copies `count` little-endian float32 values starting at `byteOffset` of `bytes` into a new, aligned
 * `Float32Array`. Works whatever the alignment of `bytes` (Node's pooled `Buffer`s often start at odd offsets).
 * The caller checks the bounds.
 *
 * @example
 * ```ts
 * const bytes = new Uint8Array(new Float32Array([1.5, -2]).buffer);
 * readFloat32LE(bytes, 4, 1); // Float32Array [-2]
 * ```
 */
export function readFloat32LE(bytes: Uint8Array, byteOffset: number, count: number): Float32Array {
  const out = new Float32Array(count);
  if (LITTLE_ENDIAN_PLATFORM) {
    new Uint8Array(out.buffer).set(bytes.subarray(byteOffset, byteOffset + count * 4));
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset + byteOffset, count * 4);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  }
  return out;
}

/**
 * Writes `values` as little-endian float32 into `target` at `byteOffset`. The caller checks the bounds.
 *
 * @example
 * ```ts
 * const target = new Uint8Array(8);
 * writeFloat32LE(target, 4, new Float32Array([1]));
 * ```
 */
export function writeFloat32LE(target: Uint8Array, byteOffset: number, values: Float32Array): void {
  if (LITTLE_ENDIAN_PLATFORM) {
    target.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), byteOffset);
  } else {
    const view = new DataView(target.buffer, target.byteOffset + byteOffset, values.length * 4);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] ?? 0, true);
  }
}
