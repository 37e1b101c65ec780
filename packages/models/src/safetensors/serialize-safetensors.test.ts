import { describe, expect, it } from 'vitest';
import { seededRandom } from './__fixtures__/raw-safetensors.js';
import { parseSafetensors } from './parse-safetensors.js';
import { SafetensorsError } from './safetensors-error.js';
import { type SafetensorsTensorInput, serializeSafetensors } from './serialize-safetensors.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('serializeSafetensors', () => {
  it('writes exactly what the reference library writes', () => {
    // safetensors' test_serialization (I32 there, F32 here: the same length), header padded to 64 bytes.
    const bytes = serializeSafetensors({ test: { shape: [2, 2], data: new Float32Array([0, 0, 0, 1]) } });
    const expected = new Uint8Array(8 + 64 + 16);
    expected[0] = 64;
    expected.set(new TextEncoder().encode('{"test":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}    '), 8);
    expected.set([0x00, 0x00, 0x80, 0x3f], 84);
    expect(bytes).toEqual(expected);
  });

  it('sorts tensors by name (byte order) and metadata keys, and aligns the data to 8 bytes', () => {
    const tensors = new Map<string, SafetensorsTensorInput>([
      ['b', { shape: [1], data: new Float32Array([2]) }],
      ['é', { shape: [1], data: new Float32Array([4]) }],
      ['B', { shape: [1], data: new Float32Array([3]) }],
      ['a.weight', { shape: [2, 1], data: new Float32Array([0, 1]) }],
    ]);
    const bytes = serializeSafetensors(tensors, { z: '1', format: 'pt' });
    const headerLength = new DataView(bytes.buffer).getUint32(0, true);
    expect(headerLength % 8).toBe(0);
    expect(text(bytes.subarray(8, 8 + headerLength)).trimEnd()).toBe(
      '{"__metadata__":{"format":"pt","z":"1"},' +
        '"B":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},' +
        '"a.weight":{"dtype":"F32","shape":[2,1],"data_offsets":[4,12]},' +
        '"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]},' +
        '"é":{"dtype":"F32","shape":[1],"data_offsets":[16,20]}}',
    );
    expect(new Float32Array(bytes.slice(8 + headerLength).buffer)).toEqual(new Float32Array([3, 0, 1, 2, 4]));
  });

  it('is deterministic whatever the insertion order', () => {
    const a = { shape: [2], data: new Float32Array([1, 2]) };
    const b = { shape: [], data: new Float32Array([3]) };
    expect(serializeSafetensors({ a, b }, { x: '1', y: '2' })).toEqual(
      serializeSafetensors({ b, a }, { y: '2', x: '1' }),
    );
  });

  it('round-trips byte-identically: serialise → parse → serialise', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 20; trial++) {
      const tensors = new Map<string, SafetensorsTensorInput>();
      for (let i = 0; i < 1 + Math.floor(random() * 6); i++) {
        const shape = Array.from({ length: Math.floor(random() * 4) }, () => Math.floor(random() * 5));
        const data = Float32Array.from({ length: shape.reduce((x, y) => x * y, 1) }, () => random() * 200 - 100);
        tensors.set(`model.layers.${i}.w${Math.floor(random() * 100)}`, { shape, data });
      }
      const metadata = trial % 2 ? { format: 'pt' } : undefined;
      const first = serializeSafetensors(tensors, metadata);
      const parsed = parseSafetensors(first);
      expect(parsed.metadata).toEqual(metadata);
      for (const [name, tensor] of tensors) expect(parsed.tensors.get(name)).toEqual({ dtype: 'F32', ...tensor });
      expect(serializeSafetensors(parsed.tensors, parsed.metadata)).toEqual(first);
    }
  });

  it('keeps NaN payloads, infinities and negative zero bit for bit', () => {
    const data = new Float32Array(4);
    new Uint32Array(data.buffer).set([0x7fc00001, 0x7f800000, 0x80000000, 0xff800000]);
    const back = parseSafetensors(serializeSafetensors({ w: { shape: [4], data } })).tensors.get('w')?.data;
    expect(back && [...new Uint32Array(back.buffer)]).toEqual([0x7fc00001, 0x7f800000, 0x80000000, 0xff800000]);
  });

  it('rejects a shape that does not match the data, a bad shape, or a reserved name', () => {
    const check = (tensors: Record<string, SafetensorsTensorInput>, message: RegExp) => {
      expect(() => serializeSafetensors(tensors)).toThrow(SafetensorsError);
      expect(() => serializeSafetensors(tensors)).toThrow(message);
    };
    check({ w: { shape: [2, 2], data: new Float32Array(3) } }, /"w" has shape \[2, 2\] \(4 values\) but 3 values/);
    check({ w: { shape: [-1], data: new Float32Array(1) } }, /expected non-negative integers/);
    check({ __metadata__: { shape: [1], data: new Float32Array(1) } }, /cannot be a tensor name/);
  });
});
