import { readFileSync } from 'node:fs';
import { Tokenizer } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { isPolite } from './polite-rule.js';
import { xquadParagraphs } from './vi-corpus.js';
import { buildViDemoBundle, usableQuestions, VI_DEMO_PLAN } from './vi-demo-bundle.js';
import { viDemoPipelineConfig } from './vi-demo-config.js';

const data = (path: string) => readFileSync(new URL(`../../../../data/${path}`, import.meta.url), 'utf8');
const jsonl = (path: string) =>
  data(path)
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, string>);

describe('the Vietnamese demo data (data/demo/vi)', () => {
  const tokenizer = Tokenizer.fromJSON(
    JSON.parse(data('models/vi-llama-3m/tokenizer.json')),
    JSON.parse(data('models/vi-llama-3m/tokenizer_config.json')),
  );
  const questions = usableQuestions(
    xquadParagraphs(JSON.parse(data('datasets/xquad-vi/xquad.vi.json'))),
    tokenizer,
    VI_DEMO_PLAN,
  );
  const bundle = buildViDemoBundle(questions, VI_DEMO_PLAN);

  it('is what the data script builds', () => {
    expect(jsonl('demo/vi/sft.jsonl')).toEqual(bundle.sft);
    expect(jsonl('demo/vi/preferences.jsonl')).toEqual(bundle.preferences);
    expect(jsonl('demo/vi/preferences_val.jsonl')).toEqual(bundle.preferencesVal);
    expect(JSON.parse(data('demo/vi/eval_prompts.json'))).toEqual(bundle.evalPrompts);
    expect(JSON.parse(data('demo/vi/xquad_ids.json'))).toMatchObject(bundle.ids);
  });

  it('has the pipeline config the data script writes, validating on the held-out pairs', () => {
    const config = JSON.parse(data('demo/vi/pipeline.json')) as Record<string, unknown>;
    expect(config).toEqual(viDemoPipelineConfig());
    expect(config.preference_val_data).toBe('data/demo/vi/preferences_val.jsonl');
    for (const key of ['sft_data', 'preference_data', 'preference_val_data', 'eval_prompts'] as const) {
      expect(data((config[key] as string).replace(/^data\//, '')).length).toBeGreaterThan(0);
    }
  });

  it('prefers polite answers by the plain rule, with the same answer on both sides', () => {
    expect(bundle.preferences).toHaveLength(VI_DEMO_PLAN.pairs);
    for (const p of [...bundle.preferences, ...bundle.preferencesVal]) {
      expect(isPolite(p.chosen)).toBe(true);
      expect(isPolite(p.rejected)).toBe(false);
      expect(p.chosen).toBe(`Dạ, ${p.rejected}`);
    }
    // SFT shows the format with a minority of polite answers (the starting rate).
    const polite = bundle.sft.filter((r) => isPolite(r.completion)).length;
    expect(polite).toBe(Math.round(VI_DEMO_PLAN.sft * VI_DEMO_PLAN.sftPoliteShare));
    for (const r of bundle.sft) expect(r.completion).toMatch(/^ \S/);
  });

  it('keeps evaluation prompts (held-out XQuAD paragraphs) out of training', () => {
    expect(bundle.evalPrompts).toHaveLength(VI_DEMO_PLAN.evalPrompts);
    const trained = new Set([...bundle.sft.map((r) => r.prompt), ...bundle.preferences.map((p) => p.prompt)]);
    expect(bundle.evalPrompts.filter((p) => trained.has(p))).toEqual([]);
    const heldOut = new Set(questions.filter((q) => q.heldOut).map((q) => q.prompt));
    for (const p of bundle.evalPrompts) expect(heldOut.has(p)).toBe(true);
    for (const p of bundle.preferencesVal) expect(bundle.evalPrompts).toContain(p.prompt);
  });
});
