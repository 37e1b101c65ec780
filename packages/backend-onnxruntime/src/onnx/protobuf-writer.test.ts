import { describe, expect, it } from 'vitest';
import { ProtobufWriter } from './protobuf-writer.js';

const bytesOf = (write: (w: ProtobufWriter) => void): number[] => {
  const w = new ProtobufWriter();
  write(w);
  return Array.from(w.finish());
};

describe('ProtobufWriter', () => {
  it('encodes varints as in the protobuf spec (150 → 96 01)', () => {
    expect(bytesOf((w) => w.int64(1, 150))).toEqual([0x08, 0x96, 0x01]);
    expect(bytesOf((w) => w.int64(2, 0))).toEqual([0x10, 0x00]);
  });

  it('encodes negative int64 in ten bytes (two’s complement)', () => {
    expect(bytesOf((w) => w.int64(1, -1))).toEqual([0x08, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1]);
    expect(bytesOf((w) => w.int64(1, -2))).toEqual([0x08, 254, 255, 255, 255, 255, 255, 255, 255, 255, 1]);
  });

  it('encodes strings, nested messages, floats and packed fields', () => {
    expect(bytesOf((w) => w.string(2, 'ab'))).toEqual([0x12, 2, 97, 98]);
    expect(bytesOf((w) => w.message(3, (m) => m.int64(1, 1)))).toEqual([0x1a, 2, 0x08, 1]);
    expect(bytesOf((w) => w.float(2, 1))).toEqual([0x15, 0, 0, 0x80, 0x3f]);
    expect(bytesOf((w) => w.packedInt64(1, [3, 270]))).toEqual([0x0a, 3, 3, 0x8e, 0x02]);
  });

  it('keeps large payloads intact across internal chunks', () => {
    const big = Uint8Array.from({ length: 10_000 }, (_, i) => i % 251);
    const out = bytesOf((w) => {
      w.int64(1, 7);
      w.bytes(2, big);
      w.int64(3, 9);
    });
    expect(out.length).toBe(2 + 3 + big.length + 2);
    expect(out.slice(5, 5 + big.length)).toEqual(Array.from(big));
    expect(out.slice(-2)).toEqual([0x18, 9]);
  });
});
