import { createJsBackend } from '@rlhf/backend-js';
import { memoryInfo, Random, RlhfError } from '@rlhf/core';
import { createRewardModel, type RewardScoringModel } from '@rlhf/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadStories260K } from '../__fixtures__/stories260k.js';
import { MissingTokenizerError, NotARewardModelError, RewardInputError } from '../errors/reward-errors.js';
import { scoreStats } from '../normalization/score-stats.js';
import { asRewardScorer } from './as-reward-scorer.js';
import { scoreTexts } from './score-texts.js';
import { scoreTokenIds } from './score-token-ids.js';
import { validateTexts } from './validate-texts.js';

const backend = createJsBackend();
const texts = [
  'Once upon a time, there was a little girl named Lily.',
  'The dog ran.',
  'Tom and his mom went to the park. They played on the swings and had a lot of fun all day long.',
  'A cat.',
  'She was happy.',
];

describe('reward scoring with stories260K + a scalar head', () => {
  let rm: RewardScoringModel;
  beforeAll(() => {
    rm = createRewardModel(loadStories260K(backend), new Random(42));
  });

  it('is invariant to batch composition, padding and order (same text, same score, to 1e-6)', async () => {
    const ids = texts.map((t) => rm.tokenizer?.encode(t) ?? []);
    const alone = await Promise.all(ids.map(async (s) => (await scoreTokenIds(rm, [s]))[0] as number));
    const together = await scoreTokenIds(rm, ids, { batchSize: 8 });
    const pairs = await scoreTokenIds(rm, ids, { batchSize: 2 });
    const reversed = await scoreTokenIds(rm, [...ids].reverse(), { batchSize: 3 });
    const otherPad = await scoreTokenIds(rm, ids, { batchSize: 8, padId: 7 });
    for (let i = 0; i < ids.length; i++) {
      expect(Math.abs((together[i] as number) - (alone[i] as number))).toBeLessThan(1e-6);
      expect(Math.abs((pairs[i] as number) - (alone[i] as number))).toBeLessThan(1e-6);
      expect(Math.abs((reversed[ids.length - 1 - i] as number) - (alone[i] as number))).toBeLessThan(1e-6);
      expect(Math.abs((otherPad[i] as number) - (alone[i] as number))).toBeLessThan(1e-6);
    }
    expect(new Set(Array.from(together, (s) => s.toFixed(6))).size).toBe(texts.length); // distinct texts, distinct scores
  });

  it('leaves no tape and no tensors behind, and restores training mode', async () => {
    const before = memoryInfo(backend);
    rm.train();
    await scoreTexts(rm, texts);
    const after = memoryInfo(backend);
    expect(after.liveTensors).toBe(before.liveTensors);
    expect(rm.training).toBe(true);
    expect(rm.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('3 texts → 3 records with the seed’s keys, in input order; untrained: z-scores over the given texts', async () => {
    const three = texts.slice(0, 3);
    const { records, stats } = await scoreTexts(rm, three);
    expect(records).toHaveLength(3);
    const alone = await Promise.all(three.map(async (t) => (await scoreTexts(rm, [t])).records[0]?.score as number));
    records.forEach((r, i) => {
      expect(Object.keys(r).sort()).toEqual(['score', 'score_normalized', 'van_ban']);
      expect(r.van_ban).toBe(three[i]);
      expect(Math.abs(r.score - (alone[i] as number))).toBeLessThan(1e-6);
    });
    // By hand: μ = mean, σ = population std of the three scores.
    const s = records.map((r) => r.score);
    const mu = (s[0]! + s[1]! + s[2]!) / 3;
    const sigma = Math.sqrt(((s[0]! - mu) ** 2 + (s[1]! - mu) ** 2 + (s[2]! - mu) ** 2) / 3);
    expect(stats.mean).toBeCloseTo(mu, 12);
    expect(stats.std).toBeCloseTo(sigma, 12);
    for (const r of records) expect(r.score_normalized).toBeCloseTo((r.score - mu) / sigma, 12);
    expect(scoreStats(records.map((r) => r.score_normalized)).std).toBeCloseTo(1, 12);
  });

  it('uses given μ, σ; σ = 0 (one text, or identical texts) gives 0', async () => {
    const { records } = await scoreTexts(rm, ['The dog ran.'], { stats: { mean: 1, std: 2, count: 10 } });
    expect(records[0]?.score_normalized).toBeCloseTo(((records[0]?.score as number) - 1) / 2, 12);
    expect((await scoreTexts(rm, ['The dog ran.'])).records[0]?.score_normalized).toBe(0);
    const same = await scoreTexts(rm, ['A cat.', 'A cat.']);
    expect(same.records.map((r) => r.score_normalized)).toEqual([0, 0]);
  });

  it('truncates texts longer than maxLength (keeping the beginning) and counts them', async () => {
    const long = 'Once upon a time there was a cat. '.repeat(10);
    const ids = rm.tokenizer?.encode(long) ?? [];
    const { records, truncated } = await scoreTexts(rm, [long, 'A cat.'], { maxLength: 12 });
    expect(truncated).toBe(1);
    const prefix = await scoreTokenIds(rm, [ids.slice(0, 12)]);
    expect(Math.abs((records[0]?.score as number) - (prefix[0] as number))).toBeLessThan(1e-6);
  });

  it('a model without a scalar head: NotARewardModelError naming what was given', () => {
    const lm = loadStories260K(backend);
    expect(() => asRewardScorer(lm)).toThrow(NotARewardModelError);
    expect(() => asRewardScorer(lm)).toThrow(
      /causal language model \(LlamaForCausalLM\) with no scalar head.*createRewardModel/,
    );
    expect(() => asRewardScorer(null)).toThrow(/got null/);
    expect(() => asRewardScorer({ scoreBatch: () => 0 })).toThrow(NotARewardModelError);
    expect(asRewardScorer(rm)).toBe(rm);
  });

  it('a model without a tokenizer: MissingTokenizerError', async () => {
    const bare = createRewardModel(loadStories260K(backend), new Random(1));
    bare.tokenizer = null;
    await expect(scoreTexts(bare, ['x'])).rejects.toThrow(MissingTokenizerError);
  });
});

describe('validateTexts', () => {
  it('accepts a non-empty array of strings (the empty string included)', () => {
    expect(validateTexts(['a', ''])).toEqual(['a', '']);
  });

  it('rejects an empty list, non-arrays and non-string elements with typed errors naming index and type', () => {
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return RlhfError.isInstance(e) ? e.code : 'untyped';
      }
      return 'no error';
    };
    expect(() => validateTexts([])).toThrow('cac_van_ban must hold at least one text (got an empty list).');
    expect(codeOf(() => validateTexts([]))).toBe('EMPTY_INPUT');
    expect(() => validateTexts(['ok', 42])).toThrow('cac_van_ban[1] must be a string, got number.');
    expect(() => validateTexts(['ok', null])).toThrow(/\[1\] must be a string, got null/);
    expect(() => validateTexts([['nested']])).toThrow(/\[0\] must be a string, got an array/);
    expect(() => validateTexts('just a string')).toThrow(/must be an array of strings, got string/);
    expect(() => validateTexts(undefined)).toThrow(RewardInputError);
    expect(codeOf(() => validateTexts([{}]))).toBe('INVALID_INPUT');
  });
});
