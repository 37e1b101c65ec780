import { RlhfError } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { rawSafetensors } from './__fixtures__/raw-safetensors.js';
import { parseSafetensors } from './parse-safetensors.js';
import { SafetensorsError, type SafetensorsErrorCode } from './safetensors-error.js';
import { serializeSafetensors } from './serialize-safetensors.js';

const f32 = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);
const u16 = (values: number[]) => new Uint8Array(new Uint16Array(values).buffer);

function expectError(bytes: Uint8Array, code: SafetensorsErrorCode, message: RegExp): SafetensorsError {
  let caught: unknown;
  try {
    parseSafetensors(bytes, 'bad.safetensors');
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SafetensorsError);
  const error = caught as SafetensorsError;
  expect(error).toBeInstanceOf(RlhfError);
  expect(RlhfError.isInstance(error)).toBe(true);
  expect(SafetensorsError.isInstance(error)).toBe(true);
  expect(error.code).toBe(code);
  expect(error.fileName).toBe('bad.safetensors');
  expect(error.message).toMatch(/^bad\.safetensors: /);
  expect(error.message).toMatch(message);
  return error;
}

describe('parseSafetensors', () => {
  it('reads the layout the reference library writes (header padded with spaces to 8 bytes)', () => {
    // As safetensors' own test_serialization, with F32 instead of I32: a 60-byte header padded to 64.
    const header = '{"test":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}    ';
    const bytes = rawSafetensors(header, f32([1, 2, 3, 4]));
    expect(bytes[0]).toBe(64); // '@'
    const { metadata, tensors } = parseSafetensors(bytes);
    expect(metadata).toBeUndefined();
    expect([...tensors.keys()]).toEqual(['test']);
    expect(tensors.get('test')).toEqual({ dtype: 'F32', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) });
  });

  it('returns metadata, scalars and empty tensors, in file order', () => {
    const header = {
      __metadata__: { format: 'pt' },
      b: { dtype: 'F32', shape: [], data_offsets: [0, 4] },
      empty: { dtype: 'F32', shape: [0, 3], data_offsets: [4, 4] },
      a: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
    };
    const { metadata, tensors } = parseSafetensors(rawSafetensors(header, f32([7, 8, 9])));
    expect(metadata).toEqual({ format: 'pt' });
    expect([...tensors.keys()]).toEqual(['b', 'empty', 'a']);
    expect(tensors.get('b')?.data).toEqual(new Float32Array([7]));
    expect(tensors.get('empty')).toEqual({ dtype: 'F32', shape: [0, 3], data: new Float32Array(0) });
    expect(tensors.get('a')?.data).toEqual(new Float32Array([8, 9]));
  });

  it('widens F16 exactly: normals, subnormals, signed zero, infinities, NaN', () => {
    const halves = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x3555];
    const header = { h: { dtype: 'F16', shape: [halves.length], data_offsets: [0, 2 * halves.length] } };
    const data = parseSafetensors(rawSafetensors(header, u16(halves))).tensors.get('h')?.data;
    expect(data && [...data]).toEqual([1, -2, 65504, 2 ** -24, -0, Infinity, -Infinity, Number.NaN, 0.333251953125]);
    expect(Object.is(data?.[4], -0)).toBe(true);
  });

  it('widens BF16 as the upper half of a float32', () => {
    const values = [0x3f80, 0xc040, 0x7f80, 0x3eab];
    const header = { b: { dtype: 'BF16', shape: [2, 2], data_offsets: [0, 8] } };
    const tensor = parseSafetensors(rawSafetensors(header, u16(values))).tensors.get('b');
    expect(tensor?.dtype).toBe('F32');
    expect(tensor?.data && [...tensor.data]).toEqual([1, -3, Infinity, 0.333984375]);
  });

  it('reads bytes that start at an odd offset of their buffer', () => {
    const file = serializeSafetensors(new Map([['w', { shape: [3], data: new Float32Array([1.5, -2.25, 3]) }]]));
    const shifted = new Uint8Array(file.length + 1);
    shifted.set(file, 1);
    const tensor = parseSafetensors(shifted.subarray(1)).tensors.get('w');
    expect(tensor?.data).toEqual(new Float32Array([1.5, -2.25, 3]));
  });

  it('copies tensor data out of the file buffer', () => {
    const file = serializeSafetensors({ w: { shape: [1], data: new Float32Array([5]) } });
    const tensor = parseSafetensors(file).tensors.get('w');
    file.fill(0);
    expect(tensor?.data[0]).toBe(5);
  });
});

describe('parseSafetensors failure modes', () => {
  const good = { w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };

  it('a file shorter than the length field', () => {
    expectError(new Uint8Array(5), 'SAFETENSORS_TRUNCATED', /5 bytes long/);
  });

  it('a truncated file: a tensor ends past the data section', () => {
    const file = serializeSafetensors({ w: { shape: [4], data: new Float32Array(4) } });
    expectError(file.subarray(0, file.length - 3), 'SAFETENSORS_OUT_OF_BOUNDS', /"w" ends at byte 16 .* only 13 bytes/);
  });

  it('a file cut inside its header', () => {
    const file = serializeSafetensors({ w: { shape: [4], data: new Float32Array(4) } });
    expectError(file.subarray(0, 20), 'SAFETENSORS_HEADER_LENGTH', /points past the end of the file \(12 bytes follow/);
  });

  it('a header length that points past the end', () => {
    expectError(rawSafetensors(good, 8, 1000), 'SAFETENSORS_HEADER_LENGTH', /header length 1000 points past the end/);
  });

  it('a header length above the 100 MB limit or beyond 32 bits', () => {
    expectError(rawSafetensors(good, 8, 100_000_001), 'SAFETENSORS_HEADER_LENGTH', /exceeds the 100000000-byte limit/);
    expectError(rawSafetensors(good, 8, 2n ** 63n), 'SAFETENSORS_HEADER_LENGTH', /exceeds/);
  });

  it('a header that is not UTF-8', () => {
    expectError(rawSafetensors(new Uint8Array([0x7b, 0xff, 0x7d])), 'SAFETENSORS_HEADER_ENCODING', /not valid UTF-8/);
  });

  it('a header that is not JSON, or not a JSON object', () => {
    expectError(rawSafetensors('{"w": {'), 'SAFETENSORS_HEADER_JSON', /not valid JSON/);
    expectError(rawSafetensors(''), 'SAFETENSORS_HEADER_JSON', /not valid JSON/);
    expectError(rawSafetensors('[1, 2]'), 'SAFETENSORS_HEADER_JSON', /not a JSON object/);
    expectError(rawSafetensors('null'), 'SAFETENSORS_HEADER_JSON', /not a JSON object/);
  });

  it('an entry without dtype, shape or data_offsets, or bad metadata', () => {
    expectError(
      rawSafetensors({ w: { shape: [2], data_offsets: [0, 8] } }, 8),
      'SAFETENSORS_ENTRY',
      /"w" has no string "dtype"/,
    );
    expectError(rawSafetensors({ w: { dtype: 'F32', data_offsets: [0, 8] } }, 8), 'SAFETENSORS_ENTRY', /no "shape"/);
    expectError(rawSafetensors({ w: { dtype: 'F32', shape: [2] } }, 8), 'SAFETENSORS_ENTRY', /no "data_offsets"/);
    expectError(rawSafetensors({ w: [1] }, 8), 'SAFETENSORS_ENTRY', /"w" is not an object/);
    expectError(rawSafetensors({ __metadata__: { a: 1 }, ...good }, 8), 'SAFETENSORS_ENTRY', /__metadata__\["a"\]/);
  });

  it('a dtype that cannot be loaded, or that does not exist', () => {
    const i64 = { w: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } };
    expectError(rawSafetensors(i64, 8), 'SAFETENSORS_DTYPE', /"w" has dtype I64; only F32, F16 and BF16/);
    const bogus = { w: { dtype: 'float32', shape: [2], data_offsets: [0, 8] } };
    expectError(rawSafetensors(bogus, 8), 'SAFETENSORS_DTYPE', /unknown dtype "float32"/);
  });

  it('a shape with negative, fractional or non-number dimensions', () => {
    for (const shape of [[-2], [2.5], ['2'], [2 ** 60]]) {
      const header = { w: { dtype: 'F32', shape, data_offsets: [0, 8] } };
      expectError(rawSafetensors(header, 8), 'SAFETENSORS_SHAPE', /expected non-negative integers/);
    }
  });

  it('offsets that are not two integers, or run backwards', () => {
    expectError(
      rawSafetensors({ w: { dtype: 'F32', shape: [2], data_offsets: [0] } }, 8),
      'SAFETENSORS_OFFSETS',
      /\[0\]/,
    );
    expectError(
      rawSafetensors({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8.5] } }, 8),
      'SAFETENSORS_OFFSETS',
      /integers/,
    );
    expectError(
      rawSafetensors({ w: { dtype: 'F32', shape: [0], data_offsets: [8, 0] } }, 8),
      'SAFETENSORS_OFFSETS',
      /begin after end/,
    );
  });

  it('offsets past the end of the file', () => {
    const header = { w: { dtype: 'F32', shape: [1_000_000_000], data_offsets: [0, 4_000_000_000] } };
    expectError(rawSafetensors(header, 8), 'SAFETENSORS_OUT_OF_BOUNDS', /ends at byte 4000000000 .* only 8 bytes/);
  });

  it('overlapping tensors', () => {
    const header = {
      a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
    };
    expectError(rawSafetensors(header, 12), 'SAFETENSORS_OVERLAP', /"b" \(bytes 4\.\.12\) overlaps tensor "a"/);
  });

  it('a byte range that does not match shape × item size', () => {
    const header = { w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } };
    expectError(
      rawSafetensors(header, 8),
      'SAFETENSORS_SIZE_MISMATCH',
      /shape \[3\] of F32 but data_offsets span 8 bytes/,
    );
    const huge = { w: { dtype: 'F16', shape: [2 ** 26, 2 ** 26, 2 ** 26], data_offsets: [0, 8] } };
    expectError(rawSafetensors(huge, 8), 'SAFETENSORS_SIZE_MISMATCH', /span 8 bytes/);
  });

  it('bytes that belong to no tensor', () => {
    const gap = {
      a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
      b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
    };
    expectError(rawSafetensors(gap, 12), 'SAFETENSORS_GAP', /bytes 4\.\.8 .* belong to no tensor/);
    expectError(rawSafetensors(good, 12), 'SAFETENSORS_GAP', /4 bytes after the last tensor/);
  });

  it('names the file in every message, and a default name when none is given', () => {
    expect(() => parseSafetensors(new Uint8Array(3))).toThrow(/^<bytes>: file is 3 bytes long/);
  });
});
