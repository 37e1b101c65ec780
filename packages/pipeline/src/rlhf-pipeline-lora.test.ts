import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createJsBackend } from '@rlhf/backend-js';
import { MemoryCheckpointStorage, Random, tensor, tidy } from '@rlhf/core';
import { type CausalLM, collectWeights, convertLlama2c, createRewardModel, modelFromContent } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { type PipelineEvent, RLHFPipeline } from './rlhf-pipeline.js';

const dir = fileURLToPath(new URL('../../../data/models/stories260K/', import.meta.url));
const content = convertLlama2c(readFileSync(`${dir}stories260K.bin`), readFileSync(`${dir}tok512.bin`));
const backend = createJsBackend();
const load = (): CausalLM => modelFromContent(content, backend);

const names = ['Lily', 'Tom', 'Sue', 'Ben'];
const sftData = names.map((n) => ({
  prompt: `Once upon a time, ${n} went to the park.`,
  completion: ` ${n} was happy.`,
}));
const preferences = names.map((n) => ({
  prompt: `One day, ${n} saw a dog.`,
  chosen: ` ${n} smiled and was happy.`,
  rejected: ` ${n} cried and was sad.`,
}));
const lora = { r: 4, lora_alpha: 8, target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'down_proj'] };
const trainer = { kich_thuoc_batch: 2, gradient_accumulation: 1, logging_steps: 1, max_seq_length: 48 };
const ids = [1, 403, 261, 378, 30, 291, 9, 87, 2, 15];

/** Logits (1, T, V) of `model` for `ids`, read synchronously (the JS backend reads synchronously). */
function logitsOf(model: CausalLM): Float32Array {
  return tidy(
    () => model.forward(tensor(backend, Int32Array.from(ids), [1, ids.length], 'int32')).logits,
  ).dataSync() as Float32Array;
}

/** Logits through the reward model's backbone and the SFT policy's (tied) head. */
function rewardBackboneLogits(policy: CausalLM): Float32Array {
  const rm = createRewardModel(policy, new Random(42));
  const input = tensor(backend, Int32Array.from(ids), [1, ids.length], 'int32');
  return tidy(() => policy.logitsOf(rm.backbone.forward(input).hidden)).dataSync() as Float32Array;
}

const maxAbsDiff = (a: Float32Array, b: Float32Array): number =>
  a.reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);

describe('RLHFPipeline with sft_config.lora: every copy of the SFT policy is the SFT policy', () => {
  it('the reference model, the reward backbone and DPO’s frozen copy give the SFT policy’s logits (1e-6)', async () => {
    const base = load();
    const baseLogits = logitsOf(base);
    const seen: Record<string, Float32Array> = {};
    const policy = load();
    const ref = load();
    const onEvent = (e: PipelineEvent) => {
      if (e.type === 'stage_end' && e.stage === 'sft') {
        seen.sft = logitsOf(policy);
        seen.rewardBackbone = rewardBackboneLogits(policy);
      }
    };
    const pipeline = new RLHFPipeline(
      {
        sft_config: { ...trainer, so_vong: 2, toc_do_hoc: 2e-2, lora },
        reward_config: { ...trainer, toc_do_hoc: 1e-3 },
        dpo_config: { ...trainer, toc_do_hoc: 1e-3 },
      },
      onEvent,
    );
    await pipeline.chay_day_du(policy, ref, null, sftData, preferences);
    const sft = seen.sft as Float32Array;
    // SFT with LoRA moved the policy away from the base model, so a pre-SFT copy would be caught.
    expect(maxAbsDiff(sft, baseLogits)).toBeGreaterThan(1e-2);
    // the reference model (DPO never changes it): the SFT policy
    expect(maxAbsDiff(logitsOf(ref), sft)).toBeLessThan(1e-6);
    // the reward model's backbone, made from the SFT policy as chay_day_du makes it
    expect(maxAbsDiff(seen.rewardBackbone as Float32Array, sft)).toBeLessThan(1e-6);
    // the reference is the SFT policy, so DPO's first implicit rewards β·(log π − log π_ref) are 0
    const history = pipeline.lay_ket_qua().rlhf?.history;
    expect(Math.abs(history?.chosen_rewards[0] as number)).toBeLessThan(1e-6);
    expect(Math.abs(history?.rejected_rewards[0] as number)).toBeLessThan(1e-6);
  });

  it('with ref_model null, DPO’s frozen copy of the SFT policy is the SFT policy (first rewards 0)', async () => {
    const policy = load();
    const pipeline = new RLHFPipeline({
      sft_config: { ...trainer, so_vong: 2, toc_do_hoc: 2e-2, lora },
      reward_config: { ...trainer, toc_do_hoc: 1e-3 },
      dpo_config: { ...trainer, toc_do_hoc: 1e-3 },
    });
    await pipeline.chay_day_du(policy, null, null, sftData, preferences);
    expect(pipeline.thong_ke().dpo_trainer.reference).toBe('frozen_copy');
    const history = pipeline.lay_ket_qua().rlhf?.history;
    expect(history?.chosen_rewards.length).toBeGreaterThan(0);
    expect(Math.abs(history?.chosen_rewards[0] as number)).toBeLessThan(1e-6);
    expect(Math.abs(history?.rejected_rewards[0] as number)).toBeLessThan(1e-6);
  });
});

describe('RLHFPipeline with LoRA resumed after the reward stage', () => {
  const timeless = (v: unknown) =>
    JSON.parse(JSON.stringify(v, (k, x) => (/seconds|tokens_per_second|tong_thoi_gian|time/.test(k) ? 0 : x)));

  it.each([
    ['SFT with LoRA, DPO on the merged model', { lora: null }],
    ['SFT with LoRA, DPO with its own LoRA', { lora }],
  ])('%s: the resumed run ends with the unbroken run’s weights and results', async (_, dpoLora) => {
    const config = {
      sft_config: { ...trainer, so_vong: 1, toc_do_hoc: 2e-2, lora },
      reward_config: { ...trainer, toc_do_hoc: 1e-3 },
      dpo_config: { ...trainer, toc_do_hoc: 1e-3, ...dpoLora },
    };
    const full = new MemoryCheckpointStorage();
    const policyA = load();
    const unbroken = new RLHFPipeline({ ...config, stage_storage: full });
    const resultsA = await unbroken.chay_day_du(policyA, null, null, sftData, preferences);
    // A run that died during DPO: only the SFT and reward stages were stored.
    const partial = new MemoryCheckpointStorage();
    for (const stage of ['stage-sft', 'stage-reward']) await partial.write(stage, await full.read(stage));
    const policyB = load();
    const resumed = new RLHFPipeline({ ...config, stage_storage: partial, resume: true });
    const resultsB = await resumed.chay_day_du(policyB, null, null, sftData, preferences);
    expect(timeless(resultsB)).toEqual(timeless(resultsA));
    const [wa, wb] = [await collectWeights(policyA), await collectWeights(policyB)];
    expect([...wb.keys()].sort()).toEqual([...wa.keys()].sort());
    for (const [name, t] of wa) expect(Array.from(wb.get(name)?.data ?? []), name).toEqual(Array.from(t.data));
  });
});

describe('RLHFPipeline whose RL method trains LoRA adapters (orpo_config.lora), resumed with every stage stored', () => {
  it('restores the RL stage with its adapters: the same weights (adapters included) and results', async () => {
    const config = {
      rlhf_method: 'orpo' as const,
      sft_config: { ...trainer, so_vong: 1, toc_do_hoc: 2e-2 },
      reward_config: { ...trainer, toc_do_hoc: 1e-3 },
      orpo_config: {
        ...trainer,
        toc_do_hoc: 1e-2,
        lora: { r: 4, lora_alpha: 8, target_modules: ['q_proj', 'v_proj'] },
      },
    };
    const storage = new MemoryCheckpointStorage();
    const policyA = load();
    const resultsA = await new RLHFPipeline({ ...config, stage_storage: storage }).chay_day_du(
      policyA,
      null,
      null,
      sftData,
      preferences,
    );
    const policyB = load();
    const events: PipelineEvent[] = [];
    const resumed = new RLHFPipeline({ ...config, stage_storage: storage, resume: true }, (e) => events.push(e));
    const resultsB = await resumed.chay_day_du(policyB, null, null, sftData, preferences);
    expect(events.filter((e) => e.type === 'stage_restored').map((e) => (e as { stage: string }).stage)).toContain(
      'dpo',
    );
    expect(resultsA.offline?.global_step).toBeGreaterThan(0);
    expect(resultsB.offline).toEqual(resultsA.offline);
    const [wa, wb] = [await collectWeights(policyA), await collectWeights(policyB)];
    expect([...wa.keys()].filter((k) => k.includes('lora_')).length).toBe(5 * 2 * 2);
    expect([...wb.keys()].sort()).toEqual([...wa.keys()].sort());
    for (const [name, t] of wa) expect(Array.from(wb.get(name)?.data ?? []), name).toEqual(Array.from(t.data));
  });
});
