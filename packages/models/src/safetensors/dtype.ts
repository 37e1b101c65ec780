import { readFloat32LE } from '../utils/little-endian.js';

/**
 * The dtypes {@link parseSafetensors} reads. F16 and BF16 are widened to float32 on load.
 *
 * @example
 * ```ts
 * const dtype: SafetensorsLoadableDtype = 'BF16';
 * ```
 */
export type SafetensorsLoadableDtype = 'F32' | 'F16' | 'BF16';

/**
 * Bytes per element of each loadable dtype.
 *
 * @example
 * ```ts
 * LOADABLE_DTYPE_SIZE.F16; // 2
 * ```
 */
export const LOADABLE_DTYPE_SIZE: Readonly<Record<SafetensorsLoadableDtype, number>> = { F32: 4, F16: 2, BF16: 2 };

/**
 * Every dtype the safetensors format defines (used to tell "unsupported here" from "not a dtype at all").
 *
 * @example
 * ```ts
 * SAFETENSORS_DTYPES.has('I64'); // true (a real dtype, though not loadable here)
 * ```
 */
export const SAFETENSORS_DTYPES: ReadonlySet<string> = new Set([
  'BOOL',
  'U8',
  'I8',
  'F8_E5M2',
  'F8_E4M3',
  'F8_E8M0',
  'F4',
  'F6_E2M3',
  'F6_E3M2',
  'I16',
  'U16',
  'F16',
  'BF16',
  'I32',
  'U32',
  'F32',
  'C64',
  'F64',
  'I64',
  'U64',
]);

/**
 * True when `dtype` is one {@link parseSafetensors} can load.
 *
 * @example
 * ```ts
 * isLoadableDtype('BF16'); // true
 * isLoadableDtype('I64');  // false
 * ```
 */
export function isLoadableDtype(dtype: string): dtype is SafetensorsLoadableDtype {
  return dtype === 'F32' || dtype === 'F16' || dtype === 'BF16';
}

let halfTable: Float32Array | undefined;

/** float16 bit pattern → float32 value, for all 65,536 patterns (exact: every half is a float). */
function halfToFloatTable(): Float32Array {
  if (halfTable) return halfTable;
  halfTable = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0)
      halfTable[h] = sign * fraction * 2 ** -24; // zero and subnormals
    else if (exponent === 31) halfTable[h] = fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
    else halfTable[h] = sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  }
  return halfTable;
}

/**
 * Reads `count` little-endian elements of `dtype` at `byteOffset` into a new float32 array (F16 and BF16
 * widened exactly). The caller has checked the bounds.
 *
 * @example
 * ```ts
 * decodeToFloat32(new Uint8Array([0x00, 0x3c]), 0, 1, 'F16'); // Float32Array [1]
 * decodeToFloat32(new Uint8Array([0x80, 0x3f]), 0, 1, 'BF16'); // Float32Array [1]
 * ```
 */
export function decodeToFloat32(
  bytes: Uint8Array,
  byteOffset: number,
  count: number,
  dtype: SafetensorsLoadableDtype,
): Float32Array {
  if (dtype === 'F32') return readFloat32LE(bytes, byteOffset, count);
  const out = new Float32Array(count);
  if (dtype === 'F16') {
    const table = halfToFloatTable();
    for (let i = 0, o = byteOffset; i < count; i++, o += 2) {
      out[i] = table[bytes[o] | (bytes[o + 1] << 8)];
    }
  } else {
    const bits = new Uint32Array(out.buffer); // BF16 is the upper half of a float32
    for (let i = 0, o = byteOffset; i < count; i++, o += 2) {
      bits[i] = ((bytes[o] | (bytes[o + 1] << 8)) << 16) >>> 0;
    }
  }
  return out;
}
