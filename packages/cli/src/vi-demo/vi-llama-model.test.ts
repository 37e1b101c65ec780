import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createJsBackend } from '@rlhf/backend-js';
import { generateText, modelFromContent } from '@rlhf/models';
import { readHfDirectory } from '@rlhf/models/node';
import { describe, expect, it } from 'vitest';
import { viCorpus, xquadParagraphs } from './vi-corpus.js';

const data = (path: string) => readFileSync(new URL(`../../../../data/${path}`, import.meta.url), 'utf8');
const MODEL_DIR = new URL('../../../../data/models/vi-llama-3m/', import.meta.url).pathname;

/** A syllable as the legibility measure reads it: lower case, without the punctuation around it. */
const syllable = (word: string) => word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');

describe('the Vietnamese demo model (data/models/vi-llama-3m)', () => {
  it('is a small Hugging Face Llama folder (≤ 10 MB) with the parameters its card states', async () => {
    const files = readdirSync(MODEL_DIR);
    for (const f of [
      'config.json',
      'model.safetensors',
      'tokenizer.json',
      'tokenizer_config.json',
      'generation_config.json',
      'README.md',
    ])
      expect(files).toContain(f);
    const bytes = files.reduce((n, f) => n + statSync(`${MODEL_DIR}${f}`).size, 0);
    expect(bytes).toBeLessThanOrEqual(10_000_000);
    const content = await readHfDirectory(MODEL_DIR);
    expect(content.config).toMatchObject({
      model_type: 'llama',
      vocab_size: 3072,
      hidden_size: 192,
      num_hidden_layers: 4,
    });
    const model = modelFromContent(content, createJsBackend());
    expect(model.parameters().reduce((n, p) => n + p.size, 0)).toBe(2_361_024);
  });

  it('writes legible Vietnamese: greedy continuations of held-out-style prompts use the training syllables', async () => {
    const model = modelFromContent(await readHfDirectory(MODEL_DIR), createJsBackend());
    const corpus = viCorpus(
      {
        train: data('corpora/ud-vietnamese-vtb/vi_vtb_train.txt'),
        dev: data('corpora/ud-vietnamese-vtb/vi_vtb_dev.txt'),
        test: data('corpora/ud-vietnamese-vtb/vi_vtb_test.txt'),
      },
      xquadParagraphs(JSON.parse(data('datasets/xquad-vi/xquad.vi.json'))),
    );
    const known = new Set(corpus.train.flatMap((s) => s.split(' ').map(syllable)));
    // Openings of held-out sentences (their first three syllables).
    const prompts = corpus.val.filter((_, i) => i % 100 === 0).map((s) => s.split(' ').slice(0, 3).join(' '));
    expect(prompts.length).toBeGreaterThanOrEqual(10);
    const outputs = await generateText(model, prompts, { maxNewTokens: 24, temperature: 0 });
    const words = outputs.flatMap((o) => o.text.split(/\s+/).map(syllable)).filter((w) => w.length > 0);
    // Enough text to judge: on average at least 8 syllables a prompt.
    expect(words.length).toBeGreaterThanOrEqual(8 * prompts.length);
    const inVocabulary = words.filter((w) => known.has(w)).length / words.length;
    expect(inVocabulary).toBeGreaterThanOrEqual(0.9);
    // Only Latin letters (with Vietnamese diacritics), digits, spaces and punctuation.
    for (const o of outputs) expect(o.text).toMatch(/^[\p{Script=Latin}\p{M}\p{N}\p{P}\p{Zs}\n$%+<=>^`|~]*$/u);
  });
});
