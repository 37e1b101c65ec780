import { beforeAll, describe, expect, it } from 'vitest';
import { readData, readDataText } from '../__fixtures__/data.js';
import { Tokenizer } from '../tokenizer/tokenizer.js';
import {
  type ReferenceVocab,
  referenceEncode,
  referencePrint,
  referenceVocab,
} from './__fixtures__/llama2c-reference.js';
import { llama2cTokenizerToHf, mergesFromVocabulary } from './convert-tokenizer.js';
import { Llama2cFormatError } from './llama2c-error.js';
import { readLlama2cTokenizer } from './read-tokenizer.js';

const tokenizerBin = readData('models/stories260K/tok512.bin');
let reference: ReferenceVocab;
let tokenizer: Tokenizer;
let converted: ReturnType<typeof llama2cTokenizerToHf>;

beforeAll(() => {
  reference = referenceVocab(tokenizerBin);
  converted = llama2cTokenizerToHf(readLlama2cTokenizer(tokenizerBin, 'tok512.bin'), 512);
  tokenizer = Tokenizer.fromJSON(converted.tokenizerJson, converted.tokenizerConfig);
});

/** Sentences from the corpora: every `step`-th non-empty line among the first `count`. */
function sampleLines(path: string, count: number, step: number): string[] {
  return readDataText(path)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .filter((_, i) => i % step === 0)
    .slice(0, count);
}

function expectSameAsLlama2c(text: string): void {
  const expected = referenceEncode(reference, text, true, false);
  expect(tokenizer.encode(text), JSON.stringify(text)).toEqual(expected);
  expect(tokenizer.encode(text, { addSpecialTokens: false })).toEqual(expected.slice(1));
  expect(tokenizer.decode(expected, { skipSpecialTokens: true })).toBe(text);
}

describe('llama2cTokenizerToHf: the converted stories260K tokenizer gives llama2.c encode ids', () => {
  it('on the greedy-200 text (its paragraphs, lines and whole)', () => {
    const text = readDataText('models/stories260K/greedy_200_text.txt');
    for (const line of text.split('\n')) expectSameAsLlama2c(line);
    expectSameAsLlama2c(text);
  });

  it('on English sentences from tinyshakespeare', () => {
    const lines = sampleLines('corpora/tinyshakespeare.txt', 300, 37);
    expect(lines.length).toBe(300);
    for (const line of lines) expectSameAsLlama2c(line);
    // a multi-line passage, newlines and all (byte fallback for "\n")
    expectSameAsLlama2c(readDataText('corpora/tinyshakespeare.txt').slice(0, 2000));
  });

  it('on Vietnamese sentences (mostly the byte-fallback path)', () => {
    const lines = sampleLines('corpora/ud-vietnamese-vtb/vi_vtb_train.txt', 200, 7);
    expect(lines.length).toBe(200);
    for (const line of lines) {
      expectSameAsLlama2c(line);
    }
    const ids = tokenizer.encode(lines[0] as string, { addSpecialTokens: false });
    expect(ids.some((id) => id >= 3 && id <= 258)).toBe(true); // byte tokens were used
  });

  it('on edge cases: empty, spaces only, leading/trailing/double spaces, tabs, specials-looking text, emoji', () => {
    for (const text of ['', ' ', '   ', ' Once', 'Once ', 'a  b', '\tx\n', 'é', '<0x41> <s', '😀 ok', 'ё€™…', '~|~']) {
      expectSameAsLlama2c(text);
    }
  });

  it('differs from llama2.c only where Hugging Face parses special-token text (as transformers does)', () => {
    // llama2.c spells "<s>" out as characters; tokenizers (Rust, JS) and transformers match it as BOS.
    expect(referenceEncode(reference, 'a <s> b', false, false)).toEqual([261, 410, 504, 419, 505, 268]);
    expect(tokenizer.encode('a <s> b', { addSpecialTokens: false })).toEqual([261, 410, 1, 410, 268]); // each side normalised apart: "▁a▁", "▁▁b"
  });

  it('adds BOS only when asked, and never EOS', () => {
    expect(tokenizer.encode('Hi')[0]).toBe(1);
    expect(tokenizer.encode('')).toEqual([1]);
    expect(tokenizer.encode('', { addSpecialTokens: false })).toEqual([]);
    expect(tokenizer.bosTokenId).toBe(1);
    expect(tokenizer.eosTokenId).toBe(2);
    expect(tokenizer.padTokenId).toBe(2); // no pad token: falls back to EOS
    expect(tokenizer.vocabSize).toBe(512);
  });
});

describe('llama2cTokenizerToHf: decoding', () => {
  it('decodes greedy_200_tokens.txt to exactly greedy_200_text.txt, as llama2.c prints it', () => {
    const ids = readDataText('models/stories260K/greedy_200_tokens.txt').trim().split(/\s+/).map(Number);
    const text = readDataText('models/stories260K/greedy_200_text.txt');
    expect(ids).toHaveLength(200);
    expect(referencePrint(reference, ids)).toBe(text); // the oracle agrees with the ground truth
    expect(tokenizer.decode(ids)).toBe(text);
    expect(tokenizer.decode([1, ...ids], { skipSpecialTokens: true })).toBe(text);
    expect(tokenizer.decode([1, ...ids])).toBe(`<s> ${text}`); // as Rust tokenizers: Strip sees '<s>' first
  });

  it('decodes byte tokens into UTF-8 characters and keeps special tokens unless skipped', () => {
    const ids = tokenizer.encode('Xin chào thế giới', { addSpecialTokens: false });
    expect(tokenizer.decode(ids)).toBe('Xin chào thế giới');
    expect(tokenizer.decode([...ids, 2])).toBe('Xin chào thế giới</s>');
    expect(tokenizer.decode([...ids, 2], { skipSpecialTokens: true })).toBe('Xin chào thế giới');
  });
});

interface TokenizerJsonShape {
  added_tokens: { id: number; content: string }[];
  normalizer: { normalizers: unknown[] };
  pre_tokenizer: unknown;
  decoder: { decoders: { type: string }[] };
  model: { vocab: Record<string, number>; byte_fallback: boolean; merges: string[] };
}

describe('llama2cTokenizerToHf: the tokenizer.json', () => {
  it('has the sentencepiece-BPE layout of a Hugging Face Llama tokenizer', () => {
    const json = converted.tokenizerJson as unknown as TokenizerJsonShape;
    expect(json.added_tokens.map((t) => [t.id, t.content])).toEqual([
      [0, '<unk>'],
      [1, '<s>'],
      [2, '</s>'],
    ]);
    expect(json.normalizer.normalizers).toEqual([
      { type: 'Prepend', prepend: '▁' },
      { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
    ]);
    expect(json.pre_tokenizer).toBeNull();
    expect(json.decoder.decoders.map((d) => d.type)).toEqual(['Replace', 'ByteFallback', 'Fuse', 'Strip']);
    const vocab = json.model.vocab as Record<string, number>;
    expect(Object.keys(vocab)).toHaveLength(512);
    expect([vocab['<unk>'], vocab['<s>'], vocab['</s>'], vocab['<0x00>'], vocab['<0x0A>'], vocab['<0xFF>']]).toEqual([
      0, 1, 2, 3, 13, 258,
    ]);
    expect([vocab['▁t'], vocab['▁the'], vocab['▁'], vocab['\u200a']]).toEqual([259, 265, 410, 511]);
    expect(json.model.byte_fallback).toBe(true);
    expect(json.model.merges.slice(0, 4)).toEqual(['▁ t', 'h e', '▁ a', '▁ s']);
    expect(converted.tokenizerConfig).toMatchObject({
      add_bos_token: true,
      add_eos_token: false,
      bos_token: '<s>',
      eos_token: '</s>',
      model_max_length: 512,
    });
  });

  it('derives merges as SentencePieceExtractor: every split into two pieces, by merged score, then by the ids of the halves', () => {
    const pieces = [
      '<unk>',
      '<s>',
      '</s>',
      ...Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`),
    ];
    pieces.push('a', 'b', 'c', 'ab', 'abc', 'bc');
    const scores = [...pieces.map(() => 0)];
    scores.splice(259, 6, -10, -11, -12, -1, -2, -3); // ab > abc > bc
    expect(mergesFromVocabulary(pieces, scores)).toEqual(['a b', 'a bc', 'ab c', 'b c']);
  });

  it('rejects a vocabulary without byte-fallback tokens at 3..258', () => {
    const broken = readLlama2cTokenizer(tokenizerBin);
    broken.pieces[100] = 'x';
    expect(() => llama2cTokenizerToHf(broken, 512, 'tok.bin')).toThrow(Llama2cFormatError);
    expect(() => llama2cTokenizerToHf(broken, 512, 'tok.bin')).toThrow(
      /^tok\.bin: token 100 is "x", expected the byte token <0x61>/,
    );
  });
});
