import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AdamW, clipGradNorm, decayGroups, Random, tidy } from '@rlhf/core';
import { convertLlama2c, createRewardModel, modelFromContent } from '@rlhf/models';
import { rewardTask, scoreTokenIds } from '@rlhf/reward';
import { measure } from '../timing.js';
import type { Benchmark } from './types.js';

const MODEL_DIR = fileURLToPath(new URL('../../../data/models/stories260K/', import.meta.url));

/** stories260K (converted from llama2.c) with a fresh scalar head. */
function rewardModel(backend: Parameters<Benchmark['run']>[0]['backend']) {
  const content = convertLlama2c(readFileSync(`${MODEL_DIR}stories260K.bin`), readFileSync(`${MODEL_DIR}tok512.bin`));
  return createRewardModel(modelFromContent(content, backend), new Random(0));
}

/** `count` random token sequences of `length` (BOS first), from a seeded generator. */
function sequences(count: number, length: number, seed: number): number[][] {
  const rng = new Random(seed);
  return Array.from({ length: count }, () => [1, ...Array.from({ length: length - 1 }, () => 3 + rng.int(509))]);
}

/**
 * Tokens/s of one reward-model training step on stories260K + scalar head: B pairs (2B sequences of T
 * tokens) in one forward pass, Bradley–Terry loss, backward, clipping to 1, AdamW — `RewardModel`'s step.
 */
export const rewardTrainStepBenchmark: Benchmark = {
  name: 'reward-train-step',
  description: 'reward model (stories260K + head) training step, 8 pairs × 2 × 64 tokens, tokens/s',
  async run({ backend, quick, repeats }) {
    const model = rewardModel(backend);
    const [pairs, length] = quick ? [2, 8] : [8, 64];
    const ids = sequences(2 * pairs, length, 1);
    const items = Array.from({ length: pairs }, (_, i) => ({
      chosen: ids[i] as number[],
      rejected: ids[pairs + i] as number[],
      margin: 0,
    }));
    const task = rewardTask(model, { centerRewardsCoefficient: 0 });
    const params = model.parameters();
    const opt = new AdamW(decayGroups(model, 0), { lr: 1e-5 });
    let loss = Number.NaN;
    try {
      const timing = await measure(
        async () => {
          const l = tidy(() => {
            const out = task.loss(items).loss;
            out.backward();
            return out;
          });
          clipGradNorm(params, 1).dispose();
          opt.step();
          opt.zeroGrad();
          loss = await l.item();
          l.dispose();
        },
        quick ? 0 : 1,
        repeats ?? (quick ? 1 : 5),
      );
      return {
        metric: 'tokens/s',
        value: (2 * pairs * length) / (timing.medianMs / 1000),
        ...timing,
        params: { parameters: model.parameterCount(), pairs, seqLen: length, loss },
      };
    } finally {
      opt.dispose();
      model.dispose();
    }
  },
};

/** Texts/s of `diem_danh_gia`'s forward-only batched scoring on stories260K + scalar head. */
export const rewardScoringBenchmark: Benchmark = {
  name: 'reward-scoring',
  description: 'reward model (stories260K + head) scoring, 64 texts × 64 tokens in batches of 16, texts/s',
  async run({ backend, quick, repeats }) {
    const model = rewardModel(backend);
    const [count, length] = quick ? [4, 8] : [64, 64];
    const ids = sequences(count, length, 2);
    try {
      const timing = await measure(
        async () => {
          await scoreTokenIds(model, ids, { batchSize: 16 });
        },
        quick ? 0 : 1,
        repeats ?? (quick ? 1 : 5),
      );
      return {
        metric: 'texts/s',
        value: count / (timing.medianMs / 1000),
        ...timing,
        params: {
          texts: count,
          seqLen: length,
          batchSize: 16,
          tokensPerSecond: (count * length) / (timing.medianMs / 1000),
        },
      };
    } finally {
      model.dispose();
    }
  },
};
