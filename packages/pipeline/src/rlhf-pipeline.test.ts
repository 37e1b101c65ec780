import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createJsBackend } from '@rlhf/backend-js';
import { MemoryCheckpointStorage } from '@rlhf/core';
import { type CausalLM, collectWeights, convertLlama2c, modelFromContent } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { type PipelineEvent, RLHFPipeline } from './rlhf-pipeline.js';

const dir = fileURLToPath(new URL('../../../data/models/stories260K/', import.meta.url));
const content = convertLlama2c(readFileSync(`${dir}stories260K.bin`), readFileSync(`${dir}tok512.bin`));
const backend = createJsBackend();
const load = (): CausalLM => modelFromContent(content, backend);

const names = ['Lily', 'Tom', 'Sue', 'Ben', 'Max', 'Anna'];
const sftData = names.map((n) => ({
  prompt: `Once upon a time, ${n} went to the park.`,
  completion: ` ${n} was very happy.`,
}));
const preferences = names.map((n) => ({
  prompt: `One day, ${n} saw a dog.`,
  chosen: ` ${n} smiled and was happy.`,
  rejected: ` ${n} cried and was sad.`,
}));

const config = {
  sft_config: {
    so_vong: 1,
    kich_thuoc_batch: 2,
    gradient_accumulation: 1,
    toc_do_hoc: 1e-3,
    logging_steps: 1,
    max_seq_length: 64,
  },
  reward_config: {
    toc_do_hoc: 1e-3,
    kich_thuoc_batch: 2,
    gradient_accumulation: 1,
    logging_steps: 1,
    max_seq_length: 64,
  },
  dpo_config: { toc_do_hoc: 1e-3, kich_thuoc_batch: 2, gradient_accumulation: 1, logging_steps: 1, max_seq_length: 64 },
  eval_prompts: ['One day, Kim saw a cat.', 'Once upon a time, there was a bird.'],
  eval_generation: { max_new_tokens: 12, samples_per_prompt: 2 },
};

/** Results without wall-clock figures (which differ run to run). */
function timeless(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (k, v) => (/thoi_gian|per_second|seconds|_time|elapsed/.test(k) ? undefined : v)),
  );
}

describe('RLHFPipeline', () => {
  it('chay_day_du runs SFT, reward and DPO; thong_ke has exactly the seed’s keys; stages are stored', async () => {
    const storage = new MemoryCheckpointStorage();
    const events: PipelineEvent[] = [];
    const pipeline = new RLHFPipeline({ ...config, stage_storage: storage }, (e) => events.push(e));
    expect(Object.keys(pipeline.thong_ke()).sort()).toEqual(
      ['dpo_trainer', 'reward_model', 'rlhf_done', 'reward_done', 'sft_done', 'sft_trainer'].sort(),
    );
    expect(pipeline.thong_ke().sft_done).toBe(false);
    const policy = load();
    const results = await pipeline.chay_day_du(policy, load(), null, sftData, preferences);
    const stats = pipeline.thong_ke();
    expect(Object.keys(stats).sort()).toEqual(
      ['dpo_trainer', 'reward_model', 'rlhf_done', 'reward_done', 'sft_done', 'sft_trainer'].sort(),
    );
    expect([stats.sft_done, stats.reward_done, stats.rlhf_done]).toEqual([true, true, true]);
    expect(results.sft?.global_step).toBe(3);
    expect(results.reward?.global_step).toBe(3);
    expect(results.rlhf?.global_step).toBe(3);
    expect(results.evaluation?.samples).toHaveLength(4);
    expect(results.evaluation?.win_rate).toBeGreaterThanOrEqual(0);
    expect((await storage.list()).sort()).toEqual(['stage-dpo', 'stage-reward', 'stage-sft']);
    expect(events.filter((e) => e.type === 'stage_start').map((e) => (e as { stage: string }).stage)).toEqual([
      'sft',
      'reward',
      'dpo',
      'evaluation',
    ]);
    expect(pipeline.lay_ket_qua()).toEqual(results);
  });

  it('validates the reward and DPO stages on preference_val_data, and marks responses cut at the token limit', async () => {
    const events: PipelineEvent[] = [];
    const val = ['Kim', 'Joe'].map((n) => ({
      prompt: `One day, ${n} saw a cat.`,
      chosen: ` ${n} smiled and was happy.`,
      rejected: ` ${n} cried and was sad.`,
    }));
    const pipeline = new RLHFPipeline(
      {
        ...config,
        reward_config: { ...config.reward_config, eval_on_start: true },
        dpo_config: { ...config.dpo_config, eval_on_start: true },
        eval_generation: { max_new_tokens: 1, samples_per_prompt: 1 },
      },
      (e) => events.push(e),
    );
    const results = await pipeline.chay_day_du(load(), load(), null, sftData, preferences, null, val);
    const evalSteps = (stage: string) =>
      events.flatMap((e) => (e.type === 'log' && e.stage === stage && e.record.kind === 'eval' ? [e.record.step] : []));
    expect(evalSteps('sft')).toEqual([]);
    expect(evalSteps('reward')).toEqual([0, 3]);
    expect(evalSteps('dpo')).toEqual([0, 3]);
    const dpoEval = events.find((e) => e.type === 'log' && e.stage === 'dpo' && e.record.kind === 'eval');
    expect(dpoEval?.type === 'log' && dpoEval.record.metrics.val_reward_accuracy).toBe(0);
    // One new token and no EOS: every response is cut by the limit.
    expect(results.evaluation?.samples.map((s) => [s.before_cut, s.after_cut])).toEqual([
      [true, true],
      [true, true],
    ]);
  });

  it("resume reads a DPO stage stored under its earlier name 'stage-rlhf'", async () => {
    const full = new MemoryCheckpointStorage();
    const resultsA = await new RLHFPipeline({ ...config, stage_storage: full }).chay_day_du(
      load(),
      null,
      null,
      sftData,
      preferences,
    );
    const old = new MemoryCheckpointStorage();
    for (const stage of ['stage-sft', 'stage-reward']) await old.write(stage, await full.read(stage));
    await old.write('stage-rlhf', await full.read('stage-dpo'));
    const events: PipelineEvent[] = [];
    const resumed = new RLHFPipeline({ ...config, stage_storage: old, resume: true }, (e) => events.push(e));
    const resultsB = await resumed.chay_day_du(load(), null, null, sftData, preferences);
    expect(events.filter((e) => e.type === 'stage_restored').map((e) => (e as { stage: string }).stage)).toEqual([
      'sft',
      'reward',
      'dpo',
    ]);
    expect(resultsB.rlhf).toEqual(resultsA.rlhf);
    expect(resumed.thong_ke().rlhf_done).toBe(true);
  });

  it('resume after the reward stage redoes only DPO and ends with the same weights and results', async () => {
    const full = new MemoryCheckpointStorage();
    const unbroken = new RLHFPipeline({ ...config, stage_storage: full });
    const policyA = load();
    const resultsA = await unbroken.chay_day_du(policyA, null, null, sftData, preferences);
    // A run that died during DPO: only the SFT and reward stages were stored.
    const partial = new MemoryCheckpointStorage();
    for (const stage of ['stage-sft', 'stage-reward']) await partial.write(stage, await full.read(stage));
    const events: PipelineEvent[] = [];
    const resumed = new RLHFPipeline({ ...config, stage_storage: partial, resume: true }, (e) => events.push(e));
    const policyB = load();
    const resultsB = await resumed.chay_day_du(policyB, null, null, sftData, preferences);
    expect(events.filter((e) => e.type === 'stage_restored').map((e) => (e as { stage: string }).stage)).toEqual([
      'sft',
      'reward',
    ]);
    expect(events.filter((e) => e.type === 'stage_start').map((e) => (e as { stage: string }).stage)).toEqual([
      'dpo',
      'evaluation',
    ]);
    expect(timeless(resultsB)).toEqual(timeless(resultsA));
    const [wa, wb] = [await collectWeights(policyA), await collectWeights(policyB)];
    for (const [name, t] of wa) expect(Array.from(wb.get(name)?.data ?? [])).toEqual(Array.from(t.data));
    expect(timeless(resumed.thong_ke())).toEqual(timeless(unbroken.thong_ke()));
  });

  it('rejects bad options before training, naming the key', () => {
    expect(() => new RLHFPipeline({ sft_config: { toc_do_hoc: -1 } })).toThrow(/toc_do_hoc/);
    expect(() => new RLHFPipeline({ dpo_config: { label_smoothing: 0.7 } })).toThrow(/label_smoothing/);
    expect(() => new RLHFPipeline({ bogus: 1 } as never)).toThrow(/bogus/);
  });
});
