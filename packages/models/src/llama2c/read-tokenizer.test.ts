import { describe, expect, it } from 'vitest';
import { readData } from '../__fixtures__/data.js';
import { Llama2cFormatError } from './llama2c-error.js';
import { readLlama2cTokenizer } from './read-tokenizer.js';

function tokenizerBytes(maxLength: number, records: [number, Uint8Array | string][]): Uint8Array {
  const parts = records.map(([score, piece]) => {
    const bytes = typeof piece === 'string' ? new TextEncoder().encode(piece) : piece;
    const record = new Uint8Array(8 + bytes.length);
    new DataView(record.buffer).setFloat32(0, score, true);
    new DataView(record.buffer).setInt32(4, bytes.length, true);
    record.set(bytes, 8);
    return record;
  });
  const out = new Uint8Array(4 + parts.reduce((a, p) => a + p.length, 0));
  new DataView(out.buffer).setInt32(0, maxLength, true);
  let offset = 4;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

describe('readLlama2cTokenizer', () => {
  it('reads the stories260K tokenizer: 512 pieces with real spaces, scores, specials as llama2.c writes them', () => {
    const { maxTokenLength, pieces, scores } = readLlama2cTokenizer(readData('models/stories260K/tok512.bin'));
    expect(maxTokenLength).toBe(7);
    expect(pieces).toHaveLength(512);
    expect(pieces.slice(0, 4)).toEqual(['<unk>', '\n<s>\n', '\n</s>\n', '<0x00>']);
    expect([pieces[259], pieces[265], pieces[410], pieces[503]]).toEqual([' t', ' the', ' ', '€']);
    expect([scores[259], scores[260], scores[511]]).toEqual([-0, -1, -252]);
  });

  it('rejects malformed files, naming the file and the token', () => {
    const check = (bytes: Uint8Array, message: RegExp) => {
      expect(() => readLlama2cTokenizer(bytes, 'tok.bin')).toThrow(Llama2cFormatError);
      expect(() => readLlama2cTokenizer(bytes, 'tok.bin')).toThrow(message);
    };
    check(new Uint8Array(2), /^tok\.bin: file is 2 bytes long/);
    check(tokenizerBytes(0, []), /max_token_length = 0 must be positive/);
    const good = tokenizerBytes(4, [
      [0, 'ab'],
      [-1, 'abcd'],
    ]);
    check(good.subarray(0, good.length - 1), /token 1: its 4 bytes run past the end/);
    check(good.subarray(0, 4 + 10 + 5), /token 1: record header cut off/);
    check(tokenizerBytes(2, [[0, 'abc']]), /token 0: length 3 is outside 0\.\.max_token_length \(2\)/);
    check(tokenizerBytes(4, [[0, new Uint8Array([0xc3])]]), /token 0: piece is not valid UTF-8/);
  });
});
