import { createJsBackend } from '@rlhf/backend-js';
import { ConfigError, InvalidArgumentError, NonFiniteError, Random } from '@rlhf/core';
import { expectTypedError } from '@rlhf/core/testing';
import { createRewardModel, type RewardScoringModel } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { loadStories260K } from './__fixtures__/stories260k.js';
import { NotARewardModelError, RewardInputError } from './errors/reward-errors.js';
import type { RewardConfig } from './reward-config.js';
import { RewardModel } from './reward-trainer.js';

const backend = createJsBackend();
const newRewardModel = (): RewardScoringModel => createRewardModel(loadStories260K(backend), new Random(42));
const pairs = [
  { prompt: '', chosen: 'The cat sat.', rejected: 'The dog ran.' },
  { prompt: '', chosen: 'A cat was happy.', rejected: 'A boy was sad.' },
  { prompt: '', chosen: 'Lily saw a cat.', rejected: 'Lily saw a tree.' },
  { prompt: '', chosen: 'The big cat jumped.', rejected: 'The big ball jumped.' },
];

async function weights(model: RewardScoringModel): Promise<number[]> {
  return [...(await model.stateDict()).values()].flatMap((t) => Array.from(t.data));
}

describe('bad input: RewardModel non-finite runs (stories260K + scalar head)', () => {
  it('non-finite: toc_do_hoc 1e30 stops with NonFiniteError naming the step; μ, σ never recorded from it', async () => {
    const trainer = new RewardModel({ toc_do_hoc: 1e30, kich_thuoc_batch: 1, warmup_ratio: 0 });
    const error = (await expectTypedError(() => trainer.huan_luyen(newRewardModel(), pairs, 3), {
      type: NonFiniteError,
      code: 'NON_FINITE',
      mentions: ['RewardModel', /step \d+/],
    })) as NonFiniteError;
    expect(error.step).toBeGreaterThan(1);
    expect(trainer.thong_ke().global_step).toBe(error.step - 1);
    expect(trainer.thong_ke().score_mean).toBeNull();
  });

  it('non-finite: toc_do_hoc 1e30 with skip_nonfinite_steps finishes, counting the skipped steps', async () => {
    const trainer = new RewardModel({
      toc_do_hoc: 1e30,
      kich_thuoc_batch: 1,
      warmup_ratio: 0,
      skip_nonfinite_steps: true,
    });
    const model = newRewardModel();
    const result = await trainer.huan_luyen(model, pairs, 3);
    const skipped = trainer.thong_ke().skipped_steps;
    expect(skipped).toBeGreaterThan(0);
    expect(result.history.skipped_steps?.reduce((a, b) => a + b, 0)).toBe(skipped);
    expect((await weights(model)).every(Number.isFinite)).toBe(true);
  });
});

describe('bad input: RewardModel options and arguments', () => {
  it.each([
    ['options: center_rewards_coefficient -1', { center_rewards_coefficient: -1 }, 'center_rewards_coefficient'],
    ['options: scoring_batch_size 0', { scoring_batch_size: 0 }, 'scoring_batch_size'],
    ['options: max_prompt_length 0', { max_prompt_length: 0 }, 'max_prompt_length'],
    ['options: toc_do_hoc null', { toc_do_hoc: null }, 'toc_do_hoc'],
    ['options: a string instead of an object', 'fast', '(options)'],
  ] as const)('%s', async (_title, options, key) => {
    await expectTypedError(() => new RewardModel(options as unknown as RewardConfig), {
      type: ConfigError,
      mentions: ['RewardModel', `'${key}'`],
    });
  });

  it.each([
    ['arguments: huan_luyen so_vong 0', () => new RewardModel().huan_luyen(newRewardModel(), pairs, 0), ['so_vong']],
    [
      'arguments: huan_luyen so_vong 1.5',
      () => new RewardModel().huan_luyen(newRewardModel(), pairs, 1.5),
      ['so_vong'],
    ],
  ] as const)('%s', async (_title, run, mentions) => {
    await expectTypedError(run, { type: ConfigError, mentions: ['RewardModel', ...mentions] });
  });

  it.each([
    ['arguments: huan_luyen model null', () => new RewardModel().huan_luyen(null as never, pairs), ['null']],
    [
      'arguments: huan_luyen a plain causal LM',
      () => new RewardModel().huan_luyen(loadStories260K(backend) as never, pairs),
      ['causal language model'],
    ],
    ['arguments: diem_danh_gia model null', () => new RewardModel().diem_danh_gia(null as never, ['a']), ['null']],
  ] as const)('%s', async (_title, run, mentions) => {
    await expectTypedError(run, { type: NotARewardModelError, code: 'NOT_A_REWARD_MODEL', mentions });
  });

  it.each([
    [
      'arguments: huan_luyen preference_data null',
      () => new RewardModel().huan_luyen(newRewardModel(), null as never),
      ['preference_data'],
    ],
    [
      'arguments: huan_luyen preference_data a string',
      () => new RewardModel().huan_luyen(newRewardModel(), 'prefs.json' as never),
      ['preference_data', 'prefs.json'],
    ],
    [
      'arguments: huan_luyen callback a number',
      () => new RewardModel().huan_luyen(newRewardModel(), pairs, 1, 5 as never),
      ["'callback'", 'function'],
    ],
    [
      'arguments: huan_luyen du_lieu_val a number',
      () => new RewardModel().huan_luyen(newRewardModel(), pairs, 1, null, 3 as never),
      ['du_lieu_val'],
    ],
  ] as const)('%s', async (_title, run, mentions) => {
    await expectTypedError(run, {
      type: InvalidArgumentError,
      code: 'INVALID_ARGUMENT',
      mentions: ['RewardModel.huan_luyen', ...mentions],
    });
  });

  it('arguments: diem_danh_gia texts null is a RewardInputError naming cac_van_ban', async () => {
    await expectTypedError(() => new RewardModel().diem_danh_gia(newRewardModel(), null as never), {
      type: RewardInputError,
      mentions: ['cac_van_ban', 'null'],
    });
  });
});
