import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { demoPipelineConfig } from './demo-config.js';
import type { PreferenceRecord, SFTRecord } from './demo-records.js';
import { readJson, readJsonl } from './jsonl.js';
import { type DemoVariant, demoDir, repoPath } from './paths.js';
import { cleanContinuation } from './sample-continuations.js';
import { storyMood } from './story-mood.js';
import { evalOpenings, trainOpenings } from './story-openings.js';

describe('the plain rules', () => {
  it('classifies story moods by whole words', () => {
    expect(storyMood('She smiled and played with her ball.')).toBe('happy');
    expect(storyMood('He cried all day.')).toBe('sad');
    expect(storyMood('She was happy, then sad.')).toBe('mixed');
    expect(storyMood('They found a funny stick and a madder toy.')).toBe('neutral');
  });

  it('cuts continuations after their last whole sentence', () => {
    expect(cleanContinuation(' she saw a cat. The cat was very soft. It ran aw')).toEqual({
      text: ' she saw a cat. The cat was very soft.',
      usable: true,
    });
    expect(cleanContinuation(' she saw a cat.').usable).toBe(false); // fewer than 6 words
    expect(cleanContinuation('she saw a big cat and a dog.').usable).toBe(false); // no leading space
    expect(cleanContinuation(' he said, "Come here. The dog is big.').usable).toBe(false); // open quote
  });

  it('keeps evaluation openings apart from training openings', () => {
    const train = new Set(trainOpenings());
    expect(train.size).toBe(96);
    expect(evalOpenings().length).toBe(64);
    expect(evalOpenings().some((o) => train.has(o))).toBe(false);
  });
});

// The Vietnamese bundle has its own model, scripts and tests (packages/cli/src/vi-demo/).
const variants: DemoVariant[] = ['en'];

describe.each(variants)('the committed %s bundle', (variant) => {
  const dir = repoPath(demoDir(variant));
  const sft = readJsonl<SFTRecord>(`${dir}/sft.jsonl`);
  const preferences = readJsonl<PreferenceRecord>(`${dir}/preferences.jsonl`);
  const val = readJsonl<PreferenceRecord>(`${dir}/preferences_val.jsonl`);
  const prompts = readJson<string[]>(`${dir}/eval_prompts.json`);

  it('is small and has the pipeline config the generator writes', () => {
    for (const f of ['sft.jsonl', 'preferences.jsonl', 'preferences_val.jsonl', 'eval_prompts.json']) {
      expect(statSync(`${dir}/${f}`).size).toBeLessThan(300_000);
    }
    const config = readJson<Record<string, unknown>>(`${dir}/pipeline.json`);
    expect(config).toEqual(demoPipelineConfig(variant));
    for (const key of ['sft_data', 'preference_data', 'eval_prompts'] as const) {
      expect(existsSync(repoPath(config[key] as string))).toBe(true);
    }
  });

  it('has well-formed records: completions start with a space, responses do not', () => {
    expect(sft.length).toBeGreaterThan(100);
    expect(preferences.length).toBeGreaterThan(100);
    for (const r of sft) expect(r.completion).toMatch(/^ \S/);
    for (const p of [...preferences, ...val]) {
      expect(p.chosen).toMatch(/^\S/);
      expect(p.rejected).toMatch(/^\S/);
      expect(p.chosen).not.toBe(p.rejected);
    }
  });

  it('holds the evaluation prompts out of training', () => {
    expect(prompts.length).toBeGreaterThanOrEqual(50);
    const trained = new Set([...sft.map((r) => r.prompt), ...preferences.map((p) => p.prompt)]);
    expect(prompts.some((p) => trained.has(p))).toBe(false);
    expect(val.every((p) => prompts.includes(p.prompt))).toBe(true);
  });

  it('prefers the property by its plain rule', () => {
    for (const p of [...preferences, ...val]) {
      expect(storyMood(p.chosen)).toBe('happy');
      expect(storyMood(p.rejected)).toBe('sad');
    }
  });
});
