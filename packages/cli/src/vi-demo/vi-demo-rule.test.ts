import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../test-support/cli-harness.js';
import { politeRate } from './polite-rule.js';
import { viCorpus, xquadParagraphs } from './vi-corpus.js';

const data = (path: string) => readFileSync(new URL(`../../../../data/${path}`, import.meta.url), 'utf8');

interface Sample {
  prompt: string;
  before: string;
  after: string;
}

/** A syllable as the legibility measure reads it: lower case, without the punctuation around it. */
const syllable = (word: string) => word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');

describe('rlhf demo --vi', () => {
  it('teaches the stated rule: polite answers on held-out prompts rise from the SFT policy to the DPO policy, legibly', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rlhf-vi-demo-'));
    try {
      const run = await runCliCaptured(['demo', '--vi', '--out', out, '--json'], 240_000);
      expect(run.stderr).not.toMatch(/\[INTERNAL\]/);
      expect(run.code, run.stderr).toBe(0);
      const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
        ket_qua: { evaluation: { prompts: number; samples: Sample[] } };
      };
      const { samples, prompts } = results.ket_qua.evaluation;
      const evalPrompts = JSON.parse(data('demo/vi/eval_prompts.json')) as string[];
      expect(prompts).toBe(evalPrompts.length);
      const before = politeRate(samples.map((s) => s.before));
      const after = politeRate(samples.map((s) => s.after));
      // The side effect an over-optimised policy shows: the particle stuttered or strewn through the answer.
      const strewn = (side: 'before' | 'after') =>
        samples.filter((s) => (s[side].normalize('NFC').match(/d\u1EA1\s*,/giu) ?? []).length > 1).length /
        samples.length;
      console.log(
        `polite answers on ${prompts} held-out prompts (${samples.length} samples): SFT ${before.toFixed(3)} → DPO ${after.toFixed(3)}; «Dạ,» more than once: ${strewn('before').toFixed(3)} → ${strewn('after').toFixed(3)}`,
      );
      expect(before).toBeLessThan(0.5);
      expect(after - before).toBeGreaterThanOrEqual(0.3);
      expect(strewn('after')).toBeLessThanOrEqual(0.25);
      // Legible after DPO too: the answers' syllables are Vietnamese the model was trained on.
      const corpus = viCorpus(
        {
          train: data('corpora/ud-vietnamese-vtb/vi_vtb_train.txt'),
          dev: data('corpora/ud-vietnamese-vtb/vi_vtb_dev.txt'),
          test: data('corpora/ud-vietnamese-vtb/vi_vtb_test.txt'),
        },
        xquadParagraphs(JSON.parse(data('datasets/xquad-vi/xquad.vi.json'))),
      );
      const known = new Set(corpus.train.flatMap((s) => s.split(' ').map(syllable)));
      for (const side of ['before', 'after'] as const) {
        const words = samples.flatMap((s) => s[side].split(/\s+/).map(syllable)).filter((w) => w.length > 0);
        expect(words.length).toBeGreaterThan(samples.length);
        expect(words.filter((w) => known.has(w)).length / words.length).toBeGreaterThanOrEqual(0.85);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);
});
