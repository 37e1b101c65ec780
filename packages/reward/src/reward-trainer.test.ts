import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsBackend } from '@rlhf/backend-js';
import { ConfigError, type LogRecord, MemoryCheckpointStorage, Random, RlhfError, TrainingDataError } from '@rlhf/core';
import { withoutWallClock } from '@rlhf/core/testing';
import { createRewardModel, type RewardScoringModel } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { loadStories260K } from './__fixtures__/stories260k.js';
import { NotARewardModelError } from './errors/reward-errors.js';
import { loadRewardModel, saveRewardModel } from './node/reward-model-directory.js';
import { getScoreNormalization } from './normalization/score-normalization.js';
import { scoreStats } from './normalization/score-stats.js';
import { RewardModel } from './reward-trainer.js';

const backend = createJsBackend();
const newRewardModel = (seed = 42): RewardScoringModel => createRewardModel(loadStories260K(backend), new Random(seed));

// Short stories-like pairs (prompt '' = BOS only): chosen mentions a cat, rejected does not.
const pairs = [
  { prompt: '', chosen: 'The cat sat.', rejected: 'The dog ran.' },
  { prompt: '', chosen: 'A cat was happy.', rejected: 'A boy was sad.' },
  { prompt: '', chosen: 'Lily saw a cat.', rejected: 'Lily saw a tree.' },
  { prompt: '', chosen: 'The big cat jumped.', rejected: 'The big ball jumped.' },
  { prompt: '', chosen: 'Tom had a cat.', rejected: 'Tom had a toy.' },
  { prompt: '', chosen: 'She hugged the cat.', rejected: 'She hugged her mom.' },
  { prompt: '', chosen: 'One cat, one hat.', rejected: 'One bird, one hat.' },
  { prompt: '', chosen: 'The cat was soft.', rejected: 'The bed was soft.' },
];
const allTexts = [...pairs.map((p) => p.chosen), ...pairs.map((p) => p.rejected)];

describe('RewardModel options', () => {
  it('has the seed’s defaults (toc_do_hoc 1e-5, seed 42, so_vong 1) and the documented extras', () => {
    const o = new RewardModel().options;
    expect(o).toMatchObject({
      toc_do_hoc: 1e-5,
      seed: 42,
      so_vong: 1,
      kich_thuoc_batch: 8,
      gradient_accumulation: 1,
      gradient_clip: 1,
    });
    expect(o).toMatchObject({
      max_seq_length: 512,
      logging_steps: 10,
      warmup_ratio: 0.1,
      center_rewards_coefficient: 0,
      output_dir: null,
    });
    expect(new RewardModel({ toc_do_hoc: 1e-5, seed: 42 }).options.toc_do_hoc).toBe(1e-5);
  });

  it('rejects unknown keys, wrong types and out-of-range values with a ConfigError naming the key', () => {
    expect(() => new RewardModel({ toc_do_hocc: 1 } as never)).toThrow(/'toc_do_hocc'.*did you mean 'toc_do_hoc'/);
    expect(() => new RewardModel({ beta: 0.1 } as never)).toThrow(ConfigError);
    expect(() => new RewardModel({ toc_do_hoc: -1 })).toThrow(
      /option 'toc_do_hoc' = -1 is not allowed; expected a number ≥ 0/,
    );
    expect(() => new RewardModel({ kich_thuoc_batch: 0 })).toThrow(/'kich_thuoc_batch'/);
    expect(() => new RewardModel({ center_rewards_coefficient: -0.01 })).toThrow(/'center_rewards_coefficient'/);
    expect(() => new RewardModel({ max_seq_length: 1 })).toThrow(/'max_seq_length'/);
    expect(() => new RewardModel({ seed: '42' } as never)).toThrow(/'seed' = "42"/);
  });

  it('thong_ke and lay_lich_su before training: zeros, nulls, empty history', () => {
    const t = new RewardModel();
    expect(t.thong_ke()).toMatchObject({
      global_step: 0,
      pairs: 0,
      score_mean: null,
      score_std: null,
      score_count: 0,
      final_accuracy: null,
    });
    expect(t.lay_lich_su().train_loss).toEqual([]);
  });
});

describe('RewardModel.huan_luyen', () => {
  it('trains with the shared loop: result keys, history columns, reward min ≤ means ≤ max, μ/σ recorded', async () => {
    const rm = newRewardModel();
    const trainer = new RewardModel({ toc_do_hoc: 3e-3, kich_thuoc_batch: 4, logging_steps: 1, warmup_ratio: 0 });
    const records: LogRecord[] = [];
    const result = await trainer.huan_luyen(rm, pairs, 3, (r) => {
      records.push(r);
    });
    expect(Object.keys(result).sort()).toEqual(
      [
        'final_accuracy',
        'final_reward_margin',
        'global_step',
        'history',
        'score_mean',
        'score_std',
        'so_epoch',
        'tong_thoi_gian',
        'train_loss_min',
        'truncated_pairs',
      ].sort(),
    );
    expect(result.global_step).toBe(6); // 8 pairs / 4 per step × 3 epochs
    expect(result.so_epoch).toBe(3);
    expect(records).toHaveLength(6);
    const h = result.history;
    for (const key of [
      'train_loss',
      'accuracy',
      'chosen_rewards',
      'rejected_rewards',
      'reward_margin',
      'reward_mean',
      'reward_min',
      'reward_max',
      'learning_rate',
      'grad_norm',
    ] as const) {
      expect(h[key], key).toHaveLength(6);
    }
    h.reward_min.forEach((lo, i) => {
      expect(lo).toBeLessThanOrEqual(Math.min(h.chosen_rewards[i] as number, h.rejected_rewards[i] as number) + 1e-6);
      expect(h.reward_max[i] as number).toBeGreaterThanOrEqual(
        Math.max(h.chosen_rewards[i] as number, h.rejected_rewards[i] as number) - 1e-6,
      );
      expect(h.reward_margin[i] as number).toBeCloseTo(
        (h.chosen_rewards[i] as number) - (h.rejected_rewards[i] as number),
        5,
      );
    });
    expect(records[0]?.kind === 'train' && records[0].metrics.reward_min).toBe(h.reward_min[0]);
    expect(h.train_loss.at(-1) as number).toBeLessThan(h.train_loss[0] as number);
    expect(result.final_accuracy).toBe(h.accuracy.at(-1));
    // μ, σ: those of every training text (chosen and rejected) scored by the trained model.
    const scores = (await trainer.diem_danh_gia(rm, allTexts)).map((r) => r.score);
    const expected = scoreStats(scores);
    expect(result.score_mean).toBeCloseTo(expected.mean, 5);
    expect(result.score_std).toBeCloseTo(expected.std, 5);
    expect(getScoreNormalization(rm)).toMatchObject({ count: 16 });
    const stats = trainer.thong_ke();
    expect(stats).toMatchObject({
      global_step: 6,
      pairs: 8,
      truncated_pairs: 0,
      score_count: 16,
      final_accuracy: result.final_accuracy,
    });
    expect(stats.score_mean).toBe(result.score_mean);
    expect(trainer.lay_lich_su().reward_max).toEqual(h.reward_max);
    expect(trainer.lay_lich_su()).toEqual(result.history);
  });

  it('diem_danh_gia on 3 texts: the seed’s keys, z-scores against the training μ, σ — the same after save/load', async () => {
    const rm = newRewardModel();
    const trainer = new RewardModel({ toc_do_hoc: 1e-3, kich_thuoc_batch: 4 });
    const { score_mean, score_std } = await trainer.huan_luyen(rm, pairs);
    const texts = ['The cat ran home.', 'A dog barked.', 'Once upon a time, there was a cat named Tom.'];
    const records = await trainer.diem_danh_gia(rm, texts);
    expect(records).toHaveLength(3);
    records.forEach((r, i) => {
      expect(Object.keys(r).sort()).toEqual(['score', 'score_normalized', 'van_ban']);
      expect(r.van_ban).toBe(texts[i]);
      expect(r.score_normalized).toBeCloseTo((r.score - score_mean) / score_std, 10);
    });
    const dir = mkdtempSync(join(tmpdir(), 'rlhf-reward-trained-'));
    try {
      await saveRewardModel(rm, dir);
      const loaded = await loadRewardModel(dir, { backend });
      const again = await new RewardModel().diem_danh_gia(loaded, texts);
      again.forEach((r, i) => {
        expect(r.van_ban).toBe(texts[i]);
        expect(Math.abs(r.score - (records[i]?.score as number))).toBeLessThan(1e-6);
        expect(Math.abs(r.score_normalized - (records[i]?.score_normalized as number))).toBeLessThan(1e-6);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a callback returning false stops after the current step; so_vong is validated', async () => {
    const rm = newRewardModel();
    const trainer = new RewardModel({ toc_do_hoc: 1e-3, kich_thuoc_batch: 2, logging_steps: 1 });
    const result = await trainer.huan_luyen(rm, pairs, 2, () => false);
    expect(result.global_step).toBe(1);
    expect(trainer.thong_ke().stopped_early).toBe(true);
    await expect(trainer.huan_luyen(rm, pairs, 0)).rejects.toThrow(/option 'so_vong' = 0/);
  });

  it('accumulation: 1 micro-batch of 8 pairs and 8 of 1 give the same update (loss = mean over the step’s pairs)', async () => {
    const run = async (kich_thuoc_batch: number, gradient_accumulation: number) => {
      const rm = newRewardModel();
      const trainer = new RewardModel({
        toc_do_hoc: 1e-3,
        kich_thuoc_batch,
        gradient_accumulation,
        warmup_ratio: 0,
        center_rewards_coefficient: 0.01,
        logging_steps: 1,
      });
      const { history } = await trainer.huan_luyen(rm, pairs);
      return {
        weight: rm.score.weight.dataSync(),
        loss: history.train_loss[0] as number,
        gradNorm: history.grad_norm[0] as number,
        accuracy: history.accuracy[0] as number,
      };
    };
    const a = await run(8, 1);
    const b = await run(1, 8);
    // The gradient norm (before clipping) is scale-sensitive, unlike Adam's first update: equal norms mean
    // the 8 micro-batch gradients were each divided by the step's 8 pairs.
    expect(Math.abs(a.gradNorm - b.gradNorm) / a.gradNorm).toBeLessThan(1e-5);
    expect(a.loss).toBeCloseTo(b.loss, 6);
    expect(a.accuracy).toBe(b.accuracy);
    let worst = 0;
    for (let i = 0; i < a.weight.length; i++)
      worst = Math.max(worst, Math.abs((a.weight[i] as number) - (b.weight[i] as number)));
    expect(worst).toBeLessThan(1e-6);
  });

  it('validation pairs give val_loss and val_accuracy after each epoch', async () => {
    const rm = newRewardModel();
    const trainer = new RewardModel({ toc_do_hoc: 1e-3, kich_thuoc_batch: 4 });
    const result = await trainer.huan_luyen(rm, pairs.slice(0, 6), 2, null, pairs.slice(6));
    expect(result.history.val_loss).toHaveLength(2);
    expect(result.history.val_accuracy).toHaveLength(2);
    expect(result.val_accuracy).toBe(result.history.val_accuracy[1]);
    const direct = await trainer.danh_gia(rm, pairs.slice(6));
    expect(result.val_loss_min).toBeLessThanOrEqual(result.history.val_loss[0] as number);
    expect(direct.loss).toBeCloseTo(result.history.val_loss[1] as number, 4);
    expect(direct.accuracy).toBe(result.val_accuracy);
  });

  it('bad input: a model without a scalar head, empty data, a bad record, a bad margin — typed errors', async () => {
    const trainer = new RewardModel();
    const lm = loadStories260K(backend);
    await expect(trainer.huan_luyen(lm as never, pairs)).rejects.toThrow(NotARewardModelError);
    await expect(trainer.diem_danh_gia(lm as never, ['x'])).rejects.toThrow(/no scalar head/);
    const rm = newRewardModel();
    await expect(trainer.huan_luyen(rm, [])).rejects.toThrow(/is empty/);
    await expect(trainer.huan_luyen(rm, [pairs[0], { prompt: 'x', chosen: 'y' }])).rejects.toThrow(/\[1\].*rejected/);
    await expect(trainer.huan_luyen(rm, [{ ...pairs[0], margin: 'big' }])).rejects.toThrow(TrainingDataError);
    await expect(trainer.huan_luyen(rm, null as never)).rejects.toThrow(/must be an array/);
    await expect(trainer.huan_luyen(rm, pairs, 1, null, [{ prompt: 'x', chosen: 'y' }])).rejects.toThrow(
      /^du_lieu_val\[0\]/,
    );
    await expect(trainer.diem_danh_gia(rm, [])).rejects.toThrow(/at least one text/);
    await expect(trainer.diem_danh_gia(rm, ['ok', 7 as never])).rejects.toThrow(
      /cac_van_ban\[1\] must be a string, got number/,
    );
    const code = await trainer
      .diem_danh_gia(rm, [])
      .catch((e: unknown) => (RlhfError.isInstance(e) ? e.code : 'untyped'));
    expect(code).toBe('EMPTY_INPUT');
  });
});

describe('RewardModel: whole-window checkpoints and one history builder', () => {
  it('resumed at step 6 of 10 (mid logging window of 4) logs exactly what the unbroken run logs, reward min/max included; lay_lich_su() = result.history', async () => {
    const ten = [...pairs, pairs[0], pairs[1]] as typeof pairs; // 10 pairs, 1 per step
    const storage = new MemoryCheckpointStorage();
    const opts = {
      logging_steps: 4,
      kich_thuoc_batch: 1,
      toc_do_hoc: 3e-3,
      warmup_ratio: 0,
      checkpoint_storage: storage,
    };
    const unbrokenTrainer = new RewardModel({ ...opts, save_steps: 3 });
    const unbroken = await unbrokenTrainer.huan_luyen(newRewardModel(), ten, 1, null, pairs.slice(0, 3));
    expect(unbroken.history.step).toEqual([4, 8, 10]);
    expect(unbrokenTrainer.lay_lich_su()).toEqual(unbroken.history);
    // The window's extreme over its 4 steps is below the mean of chosen rewards.
    expect(unbroken.history.reward_min[0] as number).toBeLessThan(unbroken.history.chosen_rewards[0] as number);

    const trainer = new RewardModel({ ...opts, resume_from_checkpoint: 'checkpoint-6' });
    const resumed = await trainer.huan_luyen(newRewardModel(9), ten, 1, null, pairs.slice(0, 3));
    expect(trainer.thong_ke().resumed_from).toBe('checkpoint-6');
    expect(withoutWallClock(resumed.history)).toEqual(withoutWallClock(unbroken.history));
    expect(resumed.score_mean).toBe(unbroken.score_mean);
    expect(trainer.lay_lich_su()).toEqual(resumed.history);
    // huan_luyen's so_vong argument sets this run's epochs without changing the resolved options.
    const plain = new RewardModel({ kich_thuoc_batch: 1 });
    await plain.huan_luyen(newRewardModel(), pairs.slice(0, 2), 2);
    expect(plain.thong_ke().global_step).toBe(4);
    expect(plain.options.so_vong).toBe(1);
  });
});
