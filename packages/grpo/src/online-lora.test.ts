import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsBackend } from '@rlhf/backend-js';
import { memoryInfo } from '@rlhf/core';
import { LOCK_FILE } from '@rlhf/core/node';
import { expectTypedError } from '@rlhf/core/testing';
import type { CausalLM } from '@rlhf/models';
import { LoraError } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { loadStories260K } from './__fixtures__/data.js';
import { GRPOTrainer } from './grpo-trainer.js';
import type { RewardFunction } from './rewards/reward-function.js';
import { RLOOTrainer } from './rloo-trainer.js';

const PROMPTS = ['Tom had a ball.', 'Sue saw a cat.', 'The sun was hot.', 'Ben ran.'];
const LORA = { r: 4, lora_alpha: 8, target_modules: ['q_proj', 'v_proj'] };
const length: RewardFunction = (_p, c) => c.map((x) => x.length / 10);

async function baseWeights(model: CausalLM): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const [name, p] of model.namedParameters())
    if (!name.includes('lora_')) out.set(name, Array.from(await p.data()));
  return out;
}

describe('GRPOTrainer / RLOOTrainer with lora (TRL: peft_config)', () => {
  it('GRPO: the reference is the model with its adapters off (no copy); only the adapters train', async () => {
    const backend = createJsBackend();
    const model = loadStories260K(backend);
    const before = await baseWeights(model);
    const modelBytes = memoryInfo(backend).liveBytes;
    let heldDuringStep = Number.NaN;
    const trainer = new GRPOTrainer({
      num_generations: 3,
      max_completion_length: 6,
      toc_do_hoc: 5e-2,
      logging_steps: 1,
      beta: 0.04,
      lora: LORA,
    });
    const result = await trainer.huan_luyen(model, null, PROMPTS, [length], null, () => {
      heldDuringStep = memoryInfo(backend).liveBytes - modelBytes;
      return true;
    });
    expect(result.global_step).toBe(4);
    const stats = trainer.thong_ke();
    expect(stats.reference).toBe('adapters_disabled');
    expect(stats.trainable_parameters).toBeLessThan(stats.total_parameters / 10);
    // No frozen copy: beyond the model, the run holds the adapters and their optimizer state only.
    expect(heldDuringStep).toBeLessThan(0.2 * modelBytes);
    // Step 1 samples from the policy as given (B = 0: the adapters add exactly nothing), so its KL to the
    // adapters-off reference is 0; after updates the adapters move the policy away from it.
    const kl = result.history.metrics.kl ?? [];
    expect(kl[0]).toBeCloseTo(0, 6);
    expect(Math.max(...kl.slice(1))).toBeGreaterThan(1e-6);
    for (const [name, values] of await baseWeights(model)) expect(values, name).toEqual(before.get(name));
    const adapters = [...model.namedParameters()].filter(([n]) => n.includes('lora_B'));
    expect(adapters.length).toBe(5 * 2);
    const moved = await Promise.all(adapters.map(async ([, p]) => Array.from(await p.data()).some((v) => v !== 0)));
    expect(moved.every(Boolean)).toBe(true);
    trainer.lora?.merge();
    expect([...model.namedParameters()].some(([n]) => n.includes('lora_'))).toBe(false);
    model.dispose();
  }, 60_000);

  it('RLOO with lora and an explicit ref_model uses that model as the reference', async () => {
    const backend = createJsBackend();
    const model = loadStories260K(backend);
    const ref = loadStories260K(backend);
    const trainer = new RLOOTrainer({ max_completion_length: 6, toc_do_hoc: 1e-2, logging_steps: 1, lora: LORA });
    const result = await trainer.huan_luyen(model, ref, PROMPTS.slice(0, 2), [length]);
    expect(result.global_step).toBe(2);
    expect(trainer.thong_ke().reference).toBe('ref_model');
    expect(trainer.lora).not.toBeNull();
    model.dispose();
    ref.dispose();
  }, 60_000);

  it('a LoRA config refused at the start of a run (r = 0) releases output_dir: the next run there trains', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlhf-online-lora-'));
    try {
      const model = loadStories260K(createJsBackend());
      const options = { num_generations: 2, max_completion_length: 4, max_steps: 1, output_dir: dir };
      await expectTypedError(
        () => new GRPOTrainer({ ...options, lora: { r: 0 } }).huan_luyen(model, null, PROMPTS, [length]),
        {
          type: LoraError,
          mentions: ["'r'"],
        },
      );
      expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
      const result = await new GRPOTrainer({ ...options, lora: LORA }).huan_luyen(model, null, PROMPTS, [length]);
      expect(result.global_step).toBe(1);
      model.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
