import { decodeToFloat32 } from './dtype.js';
import { parseSafetensorsHeader } from './parse-header.js';

/**
 * A tensor read from a safetensors file, always float32 in memory.
 *
 * @example
 * ```ts
 * const t: SafetensorsTensor = { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) };
 * ```
 */
export interface SafetensorsTensor {
  /** Always `F32`: other stored types are converted on reading. */
  dtype: 'F32';
  /** The tensor's shape. */
  shape: number[];
  /** Row-major values; its own buffer (not a view into the file). */
  data: Float32Array;
}

/**
 * The content of a safetensors file.
 *
 * @example
 * ```ts
 * const { metadata, tensors }: SafetensorsContent = parseSafetensors(bytes);
 * ```
 */
export interface SafetensorsContent {
  /** The `__metadata__` string map, or `undefined` when the file has none. */
  metadata: Record<string, string> | undefined;
  /** Tensors by name, in the order of their bytes in the file. */
  tensors: Map<string, SafetensorsTensor>;
}

/**
 * Parses a safetensors file. The whole header is validated against the file's length before any tensor
 * memory is allocated (see {@link parseSafetensorsHeader}); F16 and BF16 tensors are widened to float32;
 * any other dtype, and every malformed file, throws a {@link SafetensorsError} naming `fileName` and the
 * problem.
 *
 * @param bytes - the whole file
 * @param fileName - used in error messages
 *
 * @example
 * ```ts
 * const { metadata, tensors } = parseSafetensors(bytes, 'model.safetensors');
 * const embed = tensors.get('model.embed_tokens.weight'); // { dtype: 'F32', shape: [V, D], data }
 * ```
 */
export function parseSafetensors(bytes: Uint8Array, fileName = '<bytes>'): SafetensorsContent {
  const { metadata, entries, dataStart } = parseSafetensorsHeader(bytes, fileName);
  const tensors = new Map<string, SafetensorsTensor>();
  for (const { name, dtype, shape, begin } of entries) {
    const count = shape.reduce((a, b) => a * b, 1);
    const data = count === 0 ? new Float32Array(0) : decodeToFloat32(bytes, dataStart + begin, count, dtype);
    tensors.set(name, { dtype: 'F32', shape, data });
  }
  return { metadata, tensors };
}
