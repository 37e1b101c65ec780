import { readFileSync } from 'node:fs';
import { Tokenizer } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { bpeTokenizerFiles, trainBpe } from './train-bpe.js';
import { viCorpus, xquadParagraphs } from './vi-corpus.js';

const data = (path: string) => readFileSync(new URL(`../../../../data/${path}`, import.meta.url), 'utf8');

describe('trainBpe', () => {
  const texts = ['xin chào bạn', 'chào bạn nhé', 'xin chào', 'bạn khỏe không'];

  it('merges the most frequent pairs into pieces, in the llama2.c layout', () => {
    const tok = trainBpe(texts, { vocabSize: 300 });
    expect(tok.pieces.slice(0, 3)).toEqual(['<unk>', '\n<s>\n', '\n</s>\n']);
    expect(tok.pieces[3]).toBe('<0x00>');
    expect(tok.pieces[258]).toBe('<0xFF>');
    // The whole frequent words became pieces (a real space stands for ▁).
    expect(tok.pieces).toContain(' chào');
    expect(tok.pieces).toContain(' bạn');
    // Scores fall with the merge rank.
    const merged = tok.scores.slice(tok.pieces.indexOf(' chào') - 1);
    expect(merged.every((s, i) => i === 0 || s <= (merged[i - 1] as number))).toBe(true);
    // Deterministic.
    expect(trainBpe(texts, { vocabSize: 300 })).toEqual(tok);
  });

  it('stops at the vocabulary size and leaves rare characters to the byte fallback', () => {
    const tok = trainBpe(['ab ab ab', 'q'], { vocabSize: 263, minCharCount: 2 });
    expect(tok.pieces).toHaveLength(263);
    expect(tok.pieces).not.toContain('q');
    const files = bpeTokenizerFiles(tok, 64);
    const tokenizer = Tokenizer.fromJSON(files.tokenizerJson, files.tokenizerConfig);
    const ids = tokenizer.encode('ab q', { addSpecialTokens: false });
    expect(ids).toContain(3 + 'q'.charCodeAt(0)); // the byte token <0x71>
    expect(tokenizer.decode(ids)).toBe('ab q');
  });
});

describe("the demo model's tokenizer (data/models/vi-llama-3m/tokenizer.json)", () => {
  const tokenizer = Tokenizer.fromJSON(
    JSON.parse(data('models/vi-llama-3m/tokenizer.json')),
    JSON.parse(data('models/vi-llama-3m/tokenizer_config.json')),
  );
  const corpus = viCorpus(
    {
      train: data('corpora/ud-vietnamese-vtb/vi_vtb_train.txt'),
      dev: data('corpora/ud-vietnamese-vtb/vi_vtb_dev.txt'),
      test: data('corpora/ud-vietnamese-vtb/vi_vtb_test.txt'),
    },
    xquadParagraphs(JSON.parse(data('datasets/xquad-vi/xquad.vi.json'))),
  );

  it('is what the training script builds from the training text', () => {
    const rebuilt = bpeTokenizerFiles(
      trainBpe(corpus.train, { vocabSize: 3072, minCharCount: 2, requiredChars: ['\n'] }),
      128,
    );
    expect(rebuilt.tokenizerJson).toEqual(JSON.parse(data('models/vi-llama-3m/tokenizer.json')));
  });

  it('round-trips every held-out sentence losslessly, in about a token per syllable', () => {
    let tokens = 0;
    let syllables = 0;
    for (const sentence of corpus.val) {
      const ids = tokenizer.encode(sentence);
      expect(ids[0]).toBe(1);
      expect(tokenizer.decode(ids, { skipSpecialTokens: true })).toBe(sentence);
      tokens += ids.length - 1;
      syllables += sentence.split(' ').length;
    }
    expect(corpus.val.length).toBeGreaterThan(1000);
    // Vietnamese is written as syllables: the vocabulary spells most in one or two tokens.
    expect(tokens / syllables).toBeLessThan(1.6);
  });

  it('spells a sentence with unseen characters through the byte fallback', () => {
    const text = 'Xin chào 🌏 — ǂ thế giới';
    expect(tokenizer.decode(tokenizer.encode(text), { skipSpecialTokens: true })).toBe(text);
  });
});
