import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsBackend } from '@rlhf/backend-js';
import { Random } from '@rlhf/core';
import { createRewardModel } from '@rlhf/models';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStories260K } from '../__fixtures__/stories260k.js';
import { RewardInputError } from '../errors/reward-errors.js';
import { getScoreNormalization, setScoreNormalization } from '../normalization/score-normalization.js';
import { scoreTexts } from '../scoring/score-texts.js';
import { readTextsFile } from './read-texts-file.js';
import { loadRewardModel, saveRewardModel } from './reward-model-directory.js';

const backend = createJsBackend();
const dir = mkdtempSync(join(tmpdir(), 'rlhf-reward-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('saveRewardModel / loadRewardModel', () => {
  it('writes a Hugging Face directory whose config.json keeps μ, σ; loading gives the same scores', async () => {
    const rm = createRewardModel(loadStories260K(backend), new Random(42));
    setScoreNormalization(rm, { mean: -0.1, std: 0.3, count: 12 });
    await saveRewardModel(rm, join(dir, 'rm'));
    const config = JSON.parse(readFileSync(join(dir, 'rm', 'config.json'), 'utf8'));
    expect(config.score_normalization).toEqual({ mean: -0.1, std: 0.3, count: 12 });
    expect(config.architectures).toEqual(['LlamaForSequenceClassification']);
    const loaded = await loadRewardModel(join(dir, 'rm'), { backend });
    expect(getScoreNormalization(loaded)).toEqual({ mean: -0.1, std: 0.3, count: 12 });
    expect(loaded.tokenizer?.encode('Once upon a time')).toEqual([1, 403, 407, 261, 378]);
    const texts = ['The dog ran.', 'A cat sat.'];
    const a = await scoreTexts(rm, texts);
    const b = await scoreTexts(loaded, texts);
    expect(b.records).toEqual(a.records);
  });
});

describe('readTextsFile', () => {
  it('reads a JSON array or JSONL of strings', async () => {
    writeFileSync(join(dir, 'a.json'), '["one", "two"]');
    writeFileSync(join(dir, 'b.jsonl'), '"one"\n\n"two"\n');
    expect(await readTextsFile(join(dir, 'a.json'))).toEqual(['one', 'two']);
    expect(await readTextsFile(join(dir, 'b.jsonl'))).toEqual(['one', 'two']);
  });

  it('rejects a missing file, bad JSON, an empty list and non-strings, naming file (and line)', async () => {
    await expect(readTextsFile(join(dir, 'missing.json'))).rejects.toThrow(RewardInputError);
    writeFileSync(join(dir, 'bad.jsonl'), '"ok"\nnot json\n');
    await expect(readTextsFile(join(dir, 'bad.jsonl'))).rejects.toThrow(/bad\.jsonl:2 is not a JSON string/);
    writeFileSync(join(dir, 'empty.json'), '[]');
    await expect(readTextsFile(join(dir, 'empty.json'))).rejects.toThrow(/at least one text/);
    writeFileSync(join(dir, 'nums.json'), '["a", 3]');
    await expect(readTextsFile(join(dir, 'nums.json'))).rejects.toThrow(/nums\.json\[1\] must be a string, got number/);
  });
});
