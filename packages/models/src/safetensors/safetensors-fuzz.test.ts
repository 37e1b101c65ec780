import { describe, expect, it } from 'vitest';
import { rawSafetensors, seededRandom } from './__fixtures__/raw-safetensors.js';
import { LOADABLE_DTYPE_SIZE } from './dtype.js';
import { parseSafetensorsHeader } from './parse-header.js';
import { parseSafetensors } from './parse-safetensors.js';
import { SafetensorsError } from './safetensors-error.js';

const random = seededRandom(20240611);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;

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

function randomJsonValue(depth = 0): unknown {
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
function validFile(): { header: Record<string, unknown>; dataLength: number } {
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
function mutateHeader(header: Record<string, unknown>): Record<string, unknown> {
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

function randomBytes(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => int(256));
}

function candidate(): Uint8Array {
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

describe('parseSafetensors under fuzzing', () => {
  it('either parses or throws a SafetensorsError, and never allocates past the file size', () => {
    let parsed = 0;
    const codes = new Map<string, number>();
    for (let i = 0; i < 5000; i++) {
      const bytes = candidate();
      let result: ReturnType<typeof parseSafetensors> | undefined;
      try {
        result = parseSafetensors(bytes, `fuzz-${i}.safetensors`);
      } catch (error) {
        if (!(error instanceof SafetensorsError)) {
          throw new Error(`case ${i}: ${String(error)} is not a SafetensorsError`, { cause: error });
        }
        expect(error.message.startsWith(`fuzz-${i}.safetensors: `)).toBe(true);
        codes.set(error.code, (codes.get(error.code) ?? 0) + 1);
        continue;
      }
      parsed++;
      // Whatever parsed was fully validated: source bytes fit the data section, float32 output ≤ 2 × file.
      const { entries, dataStart } = parseSafetensorsHeader(bytes);
      const sourceBytes = entries.reduce((sum, e) => sum + (e.end - e.begin), 0);
      expect(sourceBytes).toBe(bytes.length - dataStart);
      let outputBytes = 0;
      for (const entry of entries) {
        const tensor = result.tensors.get(entry.name);
        const count = entry.shape.reduce((a, b) => a * b, 1);
        expect(tensor?.data.length).toBe(count);
        expect(count * LOADABLE_DTYPE_SIZE[entry.dtype]).toBe(entry.end - entry.begin);
        outputBytes += tensor?.data.byteLength ?? 0;
      }
      expect(outputBytes).toBeLessThanOrEqual(2 * bytes.length);
    }
    // The fuzzer must exercise both paths and most of the checks.
    expect(parsed).toBeGreaterThan(500);
    expect(5000 - parsed).toBeGreaterThan(2000);
    expect([...codes.keys()].sort()).toEqual(
      expect.arrayContaining([
        'SAFETENSORS_DTYPE',
        'SAFETENSORS_ENTRY',
        'SAFETENSORS_GAP',
        'SAFETENSORS_HEADER_ENCODING',
        'SAFETENSORS_HEADER_JSON',
        'SAFETENSORS_HEADER_LENGTH',
        'SAFETENSORS_OFFSETS',
        'SAFETENSORS_OUT_OF_BOUNDS',
        'SAFETENSORS_OVERLAP',
        'SAFETENSORS_SHAPE',
        'SAFETENSORS_SIZE_MISMATCH',
        'SAFETENSORS_TRUNCATED',
      ]),
    );
  });
});
