import { LOADABLE_DTYPE_SIZE } from '../safetensors/dtype.js';
import { rawSafetensors } from './raw-safetensors.js';

/**
 * Seeded mutations of safetensors files, shared by the safetensors fuzz test and the model-file fuzz
 * script: valid files with random F32/F16/BF16 tensors, mutated header fields (dtype, shape, offsets,
 * extra or missing entries, sliding byte ranges), flipped bytes, truncation, a replaced header length,
 * random JSON, random bytes.
 */
const DTYPES = ['F32', 'F16', 'BF16', 'I64', 'U8', 'F64', 'bogus', ''] as const;
const NUMBERS = [
  0,
  1,
  2,
  3,
  4,
  7,
  8,
  16,
  -1,
  -8,
  0.5,
  1e300,
  2 ** 53,
  2 ** 53 + 2,
  2 ** 32,
  2 ** 64,
  4e9,
  Number.MAX_SAFE_INTEGER,
];

function jsonValue(random: () => number, depth = 0): unknown {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const randomJsonValue = (d: number) => jsonValue(random, d);
  switch (int(depth > 2 ? 5 : 8)) {
    case 0:
      return pick(NUMBERS);
    case 1:
      return pick(['', 'F32', 'x', '__metadata__', '\u0000', 'é']);
    case 2:
      return null;
    case 3:
      return random() < 0.5;
    case 4:
      return int(100);
    case 5:
      return Array.from({ length: int(4) }, () => randomJsonValue(depth + 1));
    case 6:
      return { dtype: pick(DTYPES), shape: randomJsonValue(depth + 1), data_offsets: randomJsonValue(depth + 1) };
    default:
      return Object.fromEntries(Array.from({ length: int(3) }, (_, i) => [`k${i}`, randomJsonValue(depth + 1)]));
  }
}

/** A valid file with a few random F32/F16/BF16 tensors; returns its header object and data size too. */
function validSafetensors(random: () => number): { header: Record<string, unknown>; dataLength: number } {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const header: Record<string, unknown> = {};
  if (random() < 0.5) header.__metadata__ = { format: 'pt' };
  let offset = 0;
  for (let i = 0; i < 1 + int(4); i++) {
    const dtype = pick(['F32', 'F16', 'BF16'] as const);
    const shape = Array.from({ length: int(3) }, () => int(4));
    const size = shape.reduce((a, b) => a * b, 1) * LOADABLE_DTYPE_SIZE[dtype];
    header[`t${i}`] = { dtype, shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  return { header, dataLength: offset };
}

/** Mutates one field somewhere in a header (structured fuzzing that keeps the JSON well-formed). */
export function mutateSafetensorsHeader(
  random: () => number,
  header: Record<string, unknown>,
): Record<string, unknown> {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const randomJsonValue = (d = 0) => jsonValue(random, d);
  const copy = structuredClone(header);
  const names = Object.keys(copy);
  const name = names.length ? pick(names) : 'x';
  const entry = copy[name];
  const choice = int(7);
  if (choice === 0 || typeof entry !== 'object' || entry === null) copy[name] = randomJsonValue();
  else if (choice === 1) (entry as Record<string, unknown>).dtype = pick(DTYPES);
  else if (choice === 2) (entry as Record<string, unknown>).shape = randomJsonValue(1);
  else if (choice === 3) {
    const offsets = (entry as Record<string, unknown>).data_offsets;
    if (Array.isArray(offsets) && offsets.length) offsets[int(offsets.length)] = pick(NUMBERS);
    else (entry as Record<string, unknown>).data_offsets = randomJsonValue(1);
  } else if (choice === 4) copy[`extra${int(3)}`] = randomJsonValue();
  else if (choice === 5) {
    // slide a tensor's byte range (keeping its size): overlaps and gaps
    const offsets = (entry as Record<string, unknown>).data_offsets;
    const shift = pick([-8, -4, -2, 2, 4, 8]);
    if (Array.isArray(offsets))
      (entry as Record<string, unknown>).data_offsets = offsets.map((o) => Math.max(0, o + shift));
  } else delete copy[name];
  return copy;
}

function bytes(random: () => number, n: number): Uint8Array {
  const int = (k: number) => Math.floor(random() * k);
  return Uint8Array.from({ length: n }, () => int(256));
}

export function safetensorsCandidate(random: () => number): Uint8Array {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const randomJsonValue = (depth = 0) => jsonValue(random, depth);
  const mutateHeader = (header: Record<string, unknown>) => mutateSafetensorsHeader(random, header);
  const randomBytes = (n: number) => bytes(random, n);
  const validFile = () => validSafetensors(random);
  const { header, dataLength } = validFile();
  const data = randomBytes(dataLength);
  const file = rawSafetensors(header, data);
  switch (int(8)) {
    case 0:
      return file;
    case 1:
      return rawSafetensors(mutateHeader(header), data);
    case 2:
      return rawSafetensors(mutateHeader(mutateHeader(header)), randomBytes(Math.max(0, dataLength + int(9) - 4)));
    case 3: {
      // flip bytes anywhere (often in the header)
      const copy = file.slice();
      for (let i = 0; i < 1 + int(4); i++) copy[int(Math.min(copy.length, 8 + 40 * (1 + int(3))))] = int(256);
      return copy;
    }
    case 4:
      return file.subarray(0, int(file.length + 1)); // truncated anywhere
    case 5: {
      // header length field replaced
      const copy = file.slice();
      const lengths = [0, 1, 7, copy.length, copy.length - 8, 100_000_001, 2 ** 32 - 1, int(copy.length * 2)];
      new DataView(copy.buffer).setUint32(0, pick(lengths), true);
      if (random() < 0.2) new DataView(copy.buffer).setUint32(4, 1 + int(1000), true);
      return copy;
    }
    case 6:
      return rawSafetensors({ [pick(['a', '__metadata__'])]: randomJsonValue(), b: randomJsonValue() }, int(32));
    default:
      return randomBytes(int(64));
  }
}
