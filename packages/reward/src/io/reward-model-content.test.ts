import { createJsBackend } from '@rlhf/backend-js';
import { Random } from '@rlhf/core';
import { contentOfModel, createRewardModel } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { loadStories260K } from '../__fixtures__/stories260k.js';
import { NotARewardModelError } from '../errors/reward-errors.js';
import {
  getScoreNormalization,
  scoreNormalizationFromConfig,
  setScoreNormalization,
} from '../normalization/score-normalization.js';
import { scoreTexts } from '../scoring/score-texts.js';
import { rewardModelFromContent, rewardModelToContent } from './reward-model-content.js';

const backend = createJsBackend();
const texts = ['Once upon a time, there was a dog.', 'The sun was hot.', 'Lily smiled at her mom and said thank you.'];

describe('reward model content (Hugging Face ...ForSequenceClassification + score_normalization)', () => {
  it('round-trips weights, tokenizer and μ, σ: same scores and same score_normalized', async () => {
    const rm = createRewardModel(loadStories260K(backend), new Random(42));
    setScoreNormalization(rm, { mean: 0.25, std: 0.5, count: 40 });
    const content = await rewardModelToContent(rm);
    expect(content.config).toMatchObject({
      architectures: ['LlamaForSequenceClassification'],
      num_labels: 1,
      torch_dtype: 'float32',
      score_normalization: { mean: 0.25, std: 0.5, count: 40 },
    });
    expect(content.tensors.get('score.weight')?.shape).toEqual([1, 64]);
    expect(content.tensors.has('lm_head.weight')).toBe(false);
    const loaded = rewardModelFromContent(content, backend);
    expect(getScoreNormalization(loaded)).toEqual({ mean: 0.25, std: 0.5, count: 40 });
    const before = await scoreTexts(rm, texts, { stats: { mean: 0.25, std: 0.5, count: 40 } });
    const after = await scoreTexts(loaded, texts, { stats: getScoreNormalization(loaded) });
    expect(after.records).toEqual(before.records);
    // Saving the loaded model again gives the same config (no stale keys) and the same tensors.
    const again = await rewardModelToContent(loaded);
    expect(again.config).toEqual(content.config);
    expect([...again.tensors.keys()].sort()).toEqual([...content.tensors.keys()].sort());
  });

  it('a model never trained: no score_normalization key is written', async () => {
    const rm = createRewardModel(loadStories260K(backend), new Random(1));
    const content = await rewardModelToContent(rm);
    expect('score_normalization' in content.config).toBe(false);
    expect(getScoreNormalization(rewardModelFromContent(content, backend))).toBeUndefined();
  });

  it('the directory of a plain causal LM is rejected: NotARewardModelError', async () => {
    const content = await contentOfModel(loadStories260K(backend));
    expect(() => rewardModelFromContent(content, backend)).toThrow(NotARewardModelError);
    expect(() => rewardModelFromContent(content, backend)).toThrow(/LlamaForCausalLM without 'score.weight'/);
  });

  it('a malformed score_normalization is rejected naming the key', () => {
    expect(() => scoreNormalizationFromConfig({ score_normalization: { mean: 'x', std: 1 } })).toThrow(
      /score_normalization/,
    );
    expect(() => scoreNormalizationFromConfig({ score_normalization: { mean: 0, std: -1 } })).toThrow(
      /std: number ≥ 0/,
    );
    expect(scoreNormalizationFromConfig({})).toBeUndefined();
  });
});
