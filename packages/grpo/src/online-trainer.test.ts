import { createJsBackend } from '@rlhf/backend-js';
import { MemoryCheckpointStorage, memoryInfo } from '@rlhf/core';
import type { CausalLM } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { loadStories260K } from './__fixtures__/data.js';
import { GRPOTrainer } from './grpo-trainer.js';
import type { GRPOConfig } from './online-config.js';
import type { OnlineHistory } from './online-result.js';
import type { RewardFunction } from './rewards/reward-function.js';
import { RLOOTrainer } from './rloo-trainer.js';

const backend = createJsBackend();
const PROMPTS = ['Tom had a ball.', 'Sue saw a cat.', { prompt: 'The sun was hot.' }, 'Ben ran.'];
const SMALL: GRPOConfig = { num_generations: 3, max_completion_length: 6, toc_do_hoc: 1e-3, logging_steps: 1 };
const length: RewardFunction = (_p, c) => c.map((x) => x.length / 10);
const hasA = async (_p: string[], c: string[]) => c.map((x) => (x.includes('a') ? 1 : 0));

async function weights(model: CausalLM): Promise<number[]> {
  return [...(await model.stateDict()).values()].flatMap((t) => Array.from(t.data));
}

/** History without wall-clock values (tokens/s), which no two runs share. */
function timeless(h: OnlineHistory) {
  return h.records.map((r) => ({ ...r, ...(r.kind === 'train' ? { tokens_per_second: 0 } : {}) }));
}

describe('GRPOTrainer / RLOOTrainer (stories260K, tiny runs)', () => {
  it('logs TRL-named metrics per reward function, weighted total, and thong_ke splits generation from training', async () => {
    const model = loadStories260K(backend);
    const trainer = new GRPOTrainer({ ...SMALL, reward_weights: [1, 2], beta: 0.04, num_iterations: 2 });
    const result = await trainer.huan_luyen(model, null, PROMPTS, [length, hasA]);
    // 4 prompts, 1 per round, μ = 2: 8 optimizer steps
    expect(result.global_step).toBe(8);
    const m = result.history.metrics;
    for (const key of [
      'reward',
      'reward_std',
      'rewards/length/mean',
      'rewards/length/std',
      'rewards/hasA/mean',
      'rewards/hasA/std',
      'kl',
      'entropy',
      'clip_ratio/low_mean',
      'clip_ratio/high_mean',
      'clip_ratio/region_mean',
      'completions/mean_length',
      'completions/clipped_ratio',
      'frac_reward_zero_std',
      'num_tokens',
    ])
      expect(m[key], key).toHaveLength(8);
    // total = 1·length + 2·hasA, per step
    m.reward?.forEach((r, i) => {
      expect(r).toBeCloseTo((m['rewards/length/mean']?.[i] ?? 0) + 2 * (m['rewards/hasA/mean']?.[i] ?? 0), 5);
    });
    // the second iteration on a round moves away from π_old, and from the reference
    expect(Math.max(...(m.kl ?? []))).toBeGreaterThan(0);
    expect(m.entropy?.every((e) => e > 0 && e < Math.log(512))).toBe(true);
    expect(trainer.lay_lich_su()).toEqual(result.history);
    const stats = trainer.thong_ke();
    expect(stats.completions).toBe(12);
    expect(stats.reward_functions).toEqual(['length', 'hasA']);
    expect(stats.reference).toBe('frozen_copy');
    expect(stats.generation_tokens_per_second).toBeGreaterThan(0);
    expect(stats.training_tokens_per_second).toBeGreaterThan(0);
    expect(stats.generated_tokens).toBeLessThanOrEqual(12 * 6);
  }, 60_000);

  it('β = 0 scores no reference; a callback returning false stops after the round', async () => {
    const model = loadStories260K(backend);
    const trainer = new GRPOTrainer(SMALL);
    const result = await trainer.huan_luyen(model, null, PROMPTS, [length], null, () => false);
    expect(result.global_step).toBe(1);
    expect(trainer.thong_ke().reference).toBeNull();
    expect(trainer.thong_ke().stopped_early).toBe(true);
    expect(result.history.kl).toEqual([0]);
  }, 60_000);

  it('checkpoint/resume: stopping at step 2 and resuming gives bit-identical weights and history (GRPO, μ = 2, β > 0)', async () => {
    const options: GRPOConfig = { ...SMALL, beta: 0.04, num_iterations: 2, save_steps: 2, kich_thuoc_batch: 1 };
    const storage = new MemoryCheckpointStorage();
    const a = loadStories260K(backend);
    const full = await new GRPOTrainer({ ...options, checkpoint_storage: storage }).huan_luyen(a, null, PROMPTS, [
      length,
    ]);
    expect(full.global_step).toBe(8);
    const resumedStorage = new MemoryCheckpointStorage();
    await resumedStorage.write('checkpoint-2', await storage.read('checkpoint-2'));
    const b = loadStories260K(backend);
    const trainer = new GRPOTrainer({
      ...options,
      checkpoint_storage: resumedStorage,
      resume_from_checkpoint: 'checkpoint-2',
    });
    const resumed = await trainer.huan_luyen(b, null, PROMPTS, [length]);
    expect(trainer.thong_ke().resumed_from).toBe('checkpoint-2');
    expect(resumed.global_step).toBe(8);
    expect(await weights(b)).toEqual(await weights(a));
    expect(timeless(resumed.history)).toEqual(timeless(full.history));
  }, 60_000);

  it('RLOO trains with its defaults (G = 2, β = 0.05) and logs the reward-penalty KL', async () => {
    const model = loadStories260K(backend);
    const result = await new RLOOTrainer({ max_completion_length: 6, toc_do_hoc: 1e-3 }).huan_luyen(
      model,
      null,
      PROMPTS,
      [length],
    );
    expect(result.global_step).toBe(4);
    expect(result.history.kl).toHaveLength(4);
    expect(result.history.kl[0]).toBeCloseTo(0, 6);
  }, 60_000);

  it('leaves no tensor behind: a run (μ = 2, β > 0, a frozen reference copy) ends with the live tensors it started with', async () => {
    const model = loadStories260K(backend);
    const before = memoryInfo(backend).liveTensors;
    await new GRPOTrainer({ ...SMALL, beta: 0.04, num_iterations: 2, max_steps: 4 }).huan_luyen(model, null, PROMPTS, [
      length,
    ]);
    expect(memoryInfo(backend).liveTensors).toBe(before);
  }, 60_000);
});
