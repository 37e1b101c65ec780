import { writeFloat32LE } from '../utils/little-endian.js';
import { encodeUtf8 } from '../utils/utf8.js';
import { SafetensorsError } from './safetensors-error.js';

/**
 * A float32 tensor to write: row-major `data` with `product(shape)` elements.
 *
 * @example
 * ```ts
 * const input: SafetensorsTensorInput = { shape: [2, 2], data: new Float32Array(4) };
 * ```
 */
export interface SafetensorsTensorInput {
  /** The tensor's shape. */
  shape: readonly number[];
  /** Its values, row-major. */
  data: Float32Array;
}

/**
 * Serialises float32 tensors to the safetensors format, byte for byte as the reference implementation
 * (`safetensors.torch.save_file`) writes them: tensors sorted by name, compact JSON header
 * (`__metadata__` first, its keys sorted here for determinism), padded with spaces to a multiple of 8
 * bytes, then the data in the same order. The same input always gives the same bytes.
 *
 * @param tensors - by name; a `Map` or a plain object
 * @param metadata - the optional `__metadata__` string map (transformers writes `{ format: 'pt' }`)
 *
 * @example
 * ```ts
 * const bytes = serializeSafetensors(
 *   new Map([['lm_head.weight', { shape: [2, 3], data: new Float32Array(6) }]]),
 *   { format: 'pt' },
 * );
 * ```
 */
export function serializeSafetensors(
  tensors: ReadonlyMap<string, SafetensorsTensorInput> | Readonly<Record<string, SafetensorsTensorInput>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const list: [string, SafetensorsTensorInput][] =
    tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  const sorted = list
    .map(([name, tensor]) => ({ name, key: encodeUtf8(name), tensor }))
    .sort((a, b) => compareBytes(a.key, b.key));

  const fields: string[] = [];
  if (metadata !== undefined) {
    const sortedMetadata: Record<string, string> = {};
    for (const key of Object.keys(metadata).sort((a, b) => compareBytes(encodeUtf8(a), encodeUtf8(b)))) {
      const value = metadata[key];
      if (typeof value !== 'string') invalid(`metadata value for ${JSON.stringify(key)} is not a string`);
      sortedMetadata[key] = value as string;
    }
    fields.push(`"__metadata__":${JSON.stringify(sortedMetadata)}`);
  }
  let offset = 0;
  for (const { name, tensor } of sorted) {
    checkTensor(name, tensor);
    const begin = offset;
    offset += tensor.data.length * 4;
    const info = { dtype: 'F32', shape: [...tensor.shape], data_offsets: [begin, offset] };
    fields.push(`${JSON.stringify(name)}:${JSON.stringify(info)}`);
  }
  const json = encodeUtf8(`{${fields.join(',')}}`);
  const headerLength = json.length + ((8 - (json.length % 8)) % 8);

  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength % 2 ** 32, true);
  view.setUint32(4, Math.floor(headerLength / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let cursor = 8 + headerLength;
  for (const { tensor } of sorted) {
    writeFloat32LE(out, cursor, tensor.data);
    cursor += tensor.data.length * 4;
  }
  return out;
}

function checkTensor(name: string, tensor: SafetensorsTensorInput): void {
  if (name === '__metadata__') invalid('"__metadata__" cannot be a tensor name');
  if (!(tensor?.data instanceof Float32Array)) invalid(`tensor ${JSON.stringify(name)} has no Float32Array data`);
  const { shape, data } = tensor;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    invalid(`tensor ${JSON.stringify(name)} has shape ${JSON.stringify(shape)}; expected non-negative integers`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    invalid(
      `tensor ${JSON.stringify(name)} has shape [${shape.join(', ')}] (${count} values) but ${data.length} values`,
    );
  }
}

function invalid(detail: string): never {
  throw new SafetensorsError('SAFETENSORS_INVALID_TENSOR', '<serialize>', detail);
}

/** Byte-wise order of UTF-8 encodings, the order of Rust's `String` (and so of the reference writer). */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i] - b[i];
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
