import { createJsBackend } from '@rlhf/backend-js';
import { Random, randomNormal, tensor, tidy } from '@rlhf/core';
import { adaptedLayers, applyLora, type CausalLM, type LoraAdapter } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { loadStories260K } from './__fixtures__/data.js';
import { DPOTrainer } from './dpo-trainer.js';

const backend = createJsBackend();
const ids = [1, 403, 261, 378, 30, 291, 9];
const pairs = [
  { prompt: 'Lily saw a big tree.', chosen: ' She climbed it with her friend.', rejected: ' It fell down.' },
  { prompt: 'Tom had a red ball.', chosen: ' He played with it all day.', rejected: ' He lost it and cried.' },
];

function logitsOf(model: CausalLM): Float32Array {
  return tidy(
    () => model.forward(tensor(backend, Int32Array.from(ids), [1, ids.length], 'int32')).logits,
  ).dataSync() as Float32Array;
}
const maxAbsDiff = (a: Float32Array, b: Float32Array): number =>
  a.reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);

describe('DPOTrainer with lora on a model that already has LoRA adapters (an SFT stage’s)', () => {
  it('merges them first: no old adapter is left, and the adapters-disabled reference is the model as given', async () => {
    const model = loadStories260K(backend);
    const base = logitsOf(model);
    const sft = applyLora(model, { r: 4, lora_alpha: 8, target_modules: ['q_proj', 'v_proj'] }, new Random(1));
    for (const layer of sft.layers.values()) {
      const b = (layer.adapter as LoraAdapter).lora_B.weight;
      b.assign(randomNormal(backend, b.shape, new Random(b.id), 0, 0.2));
    }
    const sftLogits = logitsOf(model);
    expect(maxAbsDiff(sftLogits, base)).toBeGreaterThan(1e-2);

    const trainer = new DPOTrainer({
      kich_thuoc_batch: 2,
      gradient_accumulation: 1,
      logging_steps: 1,
      toc_do_hoc: 1e-2,
      max_seq_length: 48,
      lora: { r: 2, lora_alpha: 4, target_modules: ['q_proj', 'o_proj'] },
    });
    const result = await trainer.huan_luyen(model, null, pairs);
    expect(trainer.thong_ke().reference).toBe('adapters_disabled');
    // only DPO's adapters remain (q_proj and o_proj of 5 layers), at DPO's rank
    const layers = adaptedLayers(model);
    expect([...layers.keys()].every((n) => /\.(q_proj|o_proj)$/.test(n))).toBe(true);
    expect(layers.size).toBe(10);
    expect([...layers.values()].every((l) => (l.adapter as LoraAdapter).r === 2)).toBe(true);
    // the reference (adapters disabled) is the SFT policy, not the pre-SFT model
    const reference = trainer.lora?.withAdaptersDisabled(() => logitsOf(model)) as Float32Array;
    expect(maxAbsDiff(reference, sftLogits)).toBeLessThan(1e-5);
    // and DPO started from it: its first implicit rewards β·(log π − log π_ref) are 0
    expect(Math.abs(result.history.chosen_rewards[0] as number)).toBeLessThan(1e-6);
  });
});
