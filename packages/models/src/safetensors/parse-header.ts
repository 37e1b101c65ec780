import { decodeUtf8Strict } from '../utils/utf8.js';
import { isLoadableDtype, LOADABLE_DTYPE_SIZE, SAFETENSORS_DTYPES, type SafetensorsLoadableDtype } from './dtype.js';
import { SafetensorsError, type SafetensorsErrorCode } from './safetensors-error.js';

/**
 * The largest header accepted, as in the reference implementation (100 MB).
 *
 * @example
 * ```ts
 * MAX_SAFETENSORS_HEADER_BYTES; // 100_000_000
 * ```
 */
export const MAX_SAFETENSORS_HEADER_BYTES = 100_000_000;

/**
 * One tensor's entry in a validated safetensors header.
 *
 * @example
 * ```ts
 * const entry: SafetensorsEntry = { name: 'w', dtype: 'F16', shape: [2, 3], begin: 0, end: 12 };
 * ```
 */
export interface SafetensorsEntry {
  /** The tensor's name. */
  name: string;
  /** Its stored element type. */
  dtype: SafetensorsLoadableDtype;
  /** Its shape. */
  shape: number[];
  /** Byte range `[begin, end)` relative to the start of the data section. */
  begin: number;
  /** End (exclusive) of the byte range. */
  end: number;
}

/**
 * A safetensors header that has passed every check against the file's length.
 *
 * @example
 * ```ts
 * const { metadata, entries, dataStart }: SafetensorsHeader = parseSafetensorsHeader(bytes);
 * ```
 */
export interface SafetensorsHeader {
  /** The `__metadata__` map, or `undefined` when the file has none. */
  metadata: Record<string, string> | undefined;
  /** The tensors in the order of their bytes in the file. */
  entries: SafetensorsEntry[];
  /** Where the data section starts in the file (8 + header length). */
  dataStart: number;
}

/**
 * Reads and validates a safetensors header without allocating any tensor: the 8-byte little-endian
 * header length (inside the file, at most 100 MB), UTF-8, a JSON object, every entry's dtype / shape /
 * data_offsets, and the offsets against the data section (in bounds, shape × item size, no overlap,
 * no uncovered bytes). Throws {@link SafetensorsError} naming `fileName` and the problem.
 *
 * @example
 * ```ts
 * const { entries } = parseSafetensorsHeader(bytes, 'model.safetensors');
 * for (const e of entries) console.log(e.name, e.dtype, e.shape);
 * ```
 */
export function parseSafetensorsHeader(bytes: Uint8Array, fileName = '<bytes>'): SafetensorsHeader {
  const fail = (code: SafetensorsErrorCode, detail: string): never => {
    throw new SafetensorsError(code, fileName, detail);
  };
  if (bytes.length < 8) {
    fail(
      'SAFETENSORS_TRUNCATED',
      `file is ${bytes.length} bytes long; a safetensors file starts with an 8-byte header length`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const headerLength = high * 2 ** 32 + low;
  if (high !== 0 || headerLength > MAX_SAFETENSORS_HEADER_BYTES) {
    fail(
      'SAFETENSORS_HEADER_LENGTH',
      `header length ${headerLength} exceeds the ${MAX_SAFETENSORS_HEADER_BYTES}-byte limit`,
    );
  }
  if (headerLength > bytes.length - 8) {
    fail(
      'SAFETENSORS_HEADER_LENGTH',
      `header length ${headerLength} points past the end of the file (${bytes.length - 8} bytes follow the length field)`,
    );
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;

  const text = decodeUtf8Strict(bytes.subarray(8, dataStart));
  if (text === undefined) fail('SAFETENSORS_HEADER_ENCODING', 'header is not valid UTF-8');
  let json: unknown;
  try {
    json = JSON.parse(text as string);
  } catch (error) {
    fail('SAFETENSORS_HEADER_JSON', `header is not valid JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(json)) fail('SAFETENSORS_HEADER_JSON', 'header is not a JSON object');

  let metadata: Record<string, string> | undefined;
  const entries: SafetensorsEntry[] = [];
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = checkMetadata(value, fail);
    } else {
      entries.push(checkEntry(name, value, dataLength, fail));
    }
  }

  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous: SafetensorsEntry | undefined;
  for (const entry of entries) {
    if (entry.begin < cursor) {
      fail(
        'SAFETENSORS_OVERLAP',
        `tensor ${quote(entry.name)} (bytes ${entry.begin}..${entry.end}) overlaps tensor ${quote(previous?.name ?? '')} (ends at ${cursor})`,
      );
    }
    if (entry.begin > cursor) {
      fail('SAFETENSORS_GAP', `bytes ${cursor}..${entry.begin} of the data section belong to no tensor`);
    }
    cursor = entry.end;
    previous = entry;
  }
  if (cursor !== dataLength) {
    fail(
      'SAFETENSORS_GAP',
      `${dataLength - cursor} bytes after the last tensor (data ends at ${cursor} of ${dataLength})`,
    );
  }
  return { metadata, entries, dataStart };
}

type Fail = (code: SafetensorsErrorCode, detail: string) => never;

function checkMetadata(value: unknown, fail: Fail): Record<string, string> {
  if (!isPlainObject(value)) return fail('SAFETENSORS_ENTRY', '__metadata__ is not an object of strings');
  const metadata: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') fail('SAFETENSORS_ENTRY', `__metadata__[${quote(key)}] is not a string`);
    metadata[key] = item as string;
  }
  return metadata;
}

function checkEntry(name: string, value: unknown, dataLength: number, fail: Fail): SafetensorsEntry {
  const label = `tensor ${quote(name)}`;
  if (!isPlainObject(value)) return fail('SAFETENSORS_ENTRY', `${label} is not an object`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string') fail('SAFETENSORS_ENTRY', `${label} has no string "dtype"`);
  if (!Array.isArray(shape)) fail('SAFETENSORS_ENTRY', `${label} has no "shape" list`);
  if (!Array.isArray(offsets)) fail('SAFETENSORS_ENTRY', `${label} has no "data_offsets" list`);

  const dtypeName = dtype as string;
  if (!isLoadableDtype(dtypeName)) {
    fail(
      'SAFETENSORS_DTYPE',
      SAFETENSORS_DTYPES.has(dtypeName)
        ? `${label} has dtype ${dtypeName}; only F32, F16 and BF16 can be loaded`
        : `${label} has unknown dtype ${quote(dtypeName)}`,
    );
  }
  const dims = shape as unknown[];
  if (!dims.every(isNonNegativeInteger)) {
    fail('SAFETENSORS_SHAPE', `${label} has shape ${short(dims)}; expected non-negative integers`);
  }
  const range = offsets as unknown[];
  if (range.length !== 2 || !range.every(isNonNegativeInteger)) {
    fail('SAFETENSORS_OFFSETS', `${label} has data_offsets ${short(range)}; expected [begin, end] integers`);
  }
  const [begin, end] = range as [number, number];
  if (begin > end) fail('SAFETENSORS_OFFSETS', `${label} has data_offsets [${begin}, ${end}] with begin after end`);
  if (end > dataLength) {
    fail(
      'SAFETENSORS_OUT_OF_BOUNDS',
      `${label} ends at byte ${end} of the data section, which has only ${dataLength} bytes (truncated file?)`,
    );
  }
  const itemSize = LOADABLE_DTYPE_SIZE[dtypeName as SafetensorsLoadableDtype];
  const byteLength = end - begin;
  if (!hasByteLength(dims as number[], itemSize, byteLength)) {
    fail(
      'SAFETENSORS_SIZE_MISMATCH',
      `${label} has shape [${(dims as number[]).join(', ')}] of ${dtypeName} but data_offsets span ${byteLength} bytes`,
    );
  }
  return { name, dtype: dtypeName as SafetensorsLoadableDtype, shape: dims as number[], begin, end };
}

/** product(shape) × itemSize === byteLength, without ever forming a product above byteLength. */
function hasByteLength(shape: readonly number[], itemSize: number, byteLength: number): boolean {
  if (shape.includes(0)) return byteLength === 0;
  let bytes = itemSize;
  for (const dim of shape) {
    bytes *= dim;
    if (bytes > byteLength) return false;
  }
  return bytes === byteLength;
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function quote(name: string): string {
  return JSON.stringify(name.length > 200 ? `${name.slice(0, 200)}…` : name);
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
