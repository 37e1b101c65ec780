import { createJsBackend } from '@rlhf/backend-js';
import { Random } from '@rlhf/core';
import { createRewardModel } from '@rlhf/models';
import { it } from 'vitest';
import { wordPairs } from '../src/__fixtures__/lily-pairs.js';
import { loadStories260K } from '../src/__fixtures__/stories260k.js';
import { RewardModel } from '../src/reward-trainer.js';

// Longer versions of the learnable-property test: stories260K's own stories, chosen mentions a word and
// rejected does not; several train/held-out splits and epoch counts. Prints one line per run.
//   pnpm vitest run --config packages/reward/experiments/vitest.config.ts lily
const RUNS = [
  { word: 'Lily', train: 96, epochs: 1 },
  { word: 'Lily', train: 140, epochs: 1 },
  { word: 'Lily', train: 140, epochs: 3 },
  { word: 'park', train: 40, epochs: 3 },
];

it('word-property reward models on stories260K', async () => {
  for (const run of RUNS) {
    const { train, heldOut } = wordPairs(run.word, run.train);
    const rm = createRewardModel(loadStories260K(createJsBackend()), new Random(42));
    const trainer = new RewardModel({ toc_do_hoc: 2e-3, seed: 42, kich_thuoc_batch: 8 });
    const before = await trainer.danh_gia(rm, heldOut);
    const result = await trainer.huan_luyen(rm, train, run.epochs);
    const after = await trainer.danh_gia(rm, heldOut);
    const stats = trainer.thong_ke();
    console.log(
      `${run.word}: ${train.length} train / ${heldOut.length} held-out pairs, ${run.epochs} epoch(s), ${result.global_step} steps, ` +
        `${result.tong_thoi_gian.toFixed(1)} s (${stats.tokens_per_second.toFixed(0)} tokens/s): held-out accuracy ` +
        `${before.accuracy.toFixed(3)} → ${after.accuracy.toFixed(3)}, loss ${before.loss.toFixed(3)} → ${after.loss.toFixed(3)}, ` +
        `train accuracy (last window) ${result.final_accuracy.toFixed(3)}, μ ${result.score_mean.toFixed(2)} σ ${result.score_std.toFixed(2)}`,
    );
  }
});
