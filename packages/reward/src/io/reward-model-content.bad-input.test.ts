import { createJsBackend } from '@rlhf/backend-js';
import { Random } from '@rlhf/core';
import { expectTypedError } from '@rlhf/core/testing';
import { createRewardModel, NonFiniteWeightsError, TokenizerError } from '@rlhf/models';
import { describe, it } from 'vitest';
import { loadStories260K } from '../__fixtures__/stories260k.js';
import { rewardModelFromContent, rewardModelToContent } from './reward-model-content.js';

const backend = createJsBackend();
const saved = await rewardModelToContent(createRewardModel(loadStories260K(backend), new Random(42)));

describe('a saved reward model is checked as a language model folder is (API)', () => {
  it('weights: a NaN in score.weight is refused at load, naming the tensor', async () => {
    const tensors = new Map(saved.tensors);
    const score = tensors.get('score.weight');
    const data = Float32Array.from(score?.data ?? []);
    data[3] = Number.NaN;
    tensors.set('score.weight', { ...(score as NonNullable<typeof score>), data });
    await expectTypedError(() => rewardModelFromContent({ ...saved, tensors }, backend), {
      type: NonFiniteWeightsError,
      mentions: ['score.weight'],
    });
  });

  it('tokenizer: ids beyond the config’s vocab_size are refused at load, naming vocab_size', async () => {
    await expectTypedError(
      () => rewardModelFromContent({ ...saved, config: { ...saved.config, vocab_size: 256 } }, backend),
      { type: TokenizerError, code: 'TOKENIZER_VOCAB_MISMATCH', mentions: ["'vocab_size' = 256"] },
    );
  });
});
