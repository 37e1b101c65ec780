import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detokenise, HELD_OUT_PARAGRAPH, splitSentences, udSentences, viCorpus, xquadParagraphs } from './vi-corpus.js';

const data = (path: string) => readFileSync(new URL(`../../../../data/${path}`, import.meta.url), 'utf8');

describe('the Vietnamese pretraining corpus', () => {
  it('undoes the treebank tokenisation and splits paragraphs into sentences', () => {
    expect(detokenise('Hiện nay xã có 68 tổ , mỗi tổ 40 gia đình .')).toBe('Hiện nay xã có 68 tổ, mỗi tổ 40 gia đình.');
    expect(detokenise('( theo báo ) thì sao ?')).toBe('(theo báo) thì sao?');
    expect(udSentences('a .\n\nb !\n')).toEqual(['a.', 'b!']);
    expect(splitSentences('Câu một. Câu hai? 3 người đến. còn tiếp')).toEqual([
      'Câu một.',
      'Câu hai?',
      '3 người đến. còn tiếp',
    ]);
  });

  it('holds out UD test and every tenth XQuAD paragraph, disjoint from training', () => {
    const paragraphs = xquadParagraphs(JSON.parse(data('datasets/xquad-vi/xquad.vi.json')));
    expect(paragraphs).toHaveLength(240);
    const ud = {
      train: data('corpora/ud-vietnamese-vtb/vi_vtb_train.txt'),
      dev: data('corpora/ud-vietnamese-vtb/vi_vtb_dev.txt'),
      test: data('corpora/ud-vietnamese-vtb/vi_vtb_test.txt'),
    };
    const corpus = viCorpus(ud, paragraphs);
    expect(corpus.train.length).toBeGreaterThan(5000);
    expect(corpus.val.length).toBeGreaterThan(1000);
    const train = new Set(corpus.train);
    expect(corpus.val.filter((s) => train.has(s))).toEqual([]);
    const heldContext = splitSentences(paragraphs.find((p) => HELD_OUT_PARAGRAPH(p.index))?.context ?? '');
    expect(heldContext.length).toBeGreaterThan(0);
    for (const s of heldContext) expect(train.has(s)).toBe(false);
    for (const s of [...corpus.train, ...corpus.val]) expect(s).toBe(s.normalize('NFC'));
  });
});
