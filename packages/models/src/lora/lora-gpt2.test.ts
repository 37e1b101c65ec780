import { createJsBackend } from '@rlhf/backend-js';
import { Random, randomNormal, tensor, tidy } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { GPT2LMHeadModel } from '../gpt2/gpt2-model.js';
import { applyLora } from './lora.js';
import type { LoraAdapter } from './lora-adapter.js';

const config = { model_type: 'gpt2', vocab_size: 50, n_positions: 32, n_embd: 24, n_layer: 2, n_head: 4 };
const backend = createJsBackend();
const ids = [1, 7, 33, 2, 49, 15, 8];

function logitsOf(model: GPT2LMHeadModel): Float32Array {
  return tidy(
    () => model.forward(tensor(backend, Int32Array.from(ids), [1, ids.length], 'int32')).logits,
  ).dataSync() as Float32Array;
}

const maxAbsDiff = (a: Float32Array, b: Float32Array): number =>
  a.reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);

describe('LoRA on GPT-2 Conv1D layers (c_attn, c_proj, c_fc)', () => {
  it('B = 0 gives the base output; only the adapters train; the count is r·(in + out) per layer', () => {
    const model = new GPT2LMHeadModel(backend, config, new Random(1));
    const base = logitsOf(model);
    const lora = applyLora(model, { r: 4, lora_alpha: 8, target_modules: ['c_attn', 'c_proj', 'c_fc'] }, new Random(2));
    expect(Array.from(logitsOf(model))).toEqual(Array.from(base));
    // per block: c_attn 24→72: 4·(24+72) = 384; attn.c_proj 24→24: 192; c_fc 24→96: 480; mlp.c_proj 96→24: 480
    expect(lora.trainableParameters()).toBe(2 * (384 + 192 + 480 + 480));
    expect(lora.layers.size).toBe(8);
    expect(lora.fanInFanOut).toBe(true);
    expect(lora.adapterConfig().fan_in_fan_out).toBe(true);
    const trainable = [...model.namedParameters()].filter(([, p]) => p.requiresGrad).map(([n]) => n);
    expect(trainable).toContain('transformer.h.0.attn.c_attn.lora_A.weight');
    expect(trainable).toContain('transformer.h.1.mlp.c_proj.lora_B.weight');
    expect(trainable.every((n) => n.includes('.lora_'))).toBe(true);
  });

  it('PEFT shapes: lora_A (r, in), lora_B (out, r) although Conv1D stores its weight (in, out)', async () => {
    const model = new GPT2LMHeadModel(backend, config, new Random(1));
    const lora = applyLora(model, { r: 3, target_modules: ['c_attn'] }, new Random(2));
    const tensors = await lora.adapterTensors();
    expect(tensors.get('base_model.model.transformer.h.0.attn.c_attn.lora_A.weight')?.shape).toEqual([3, 24]);
    expect(tensors.get('base_model.model.transformer.h.0.attn.c_attn.lora_B.weight')?.shape).toEqual([72, 3]);
  });

  it('merged equals adapted to 1e-5 and disabled adapters give the base output exactly', () => {
    const model = new GPT2LMHeadModel(backend, config, new Random(1));
    const base = logitsOf(model);
    const lora = applyLora(
      model,
      { r: 4, lora_alpha: 16, target_modules: ['c_attn', 'c_proj', 'c_fc'] },
      new Random(2),
    );
    for (const layer of lora.layers.values()) {
      const b = (layer.adapter as LoraAdapter).lora_B.weight;
      b.assign(randomNormal(backend, b.shape, new Random(b.id), 0, 0.2));
    }
    const adapted = logitsOf(model);
    expect(maxAbsDiff(adapted, base)).toBeGreaterThan(1e-2);
    const disabled = lora.withAdaptersDisabled(() => logitsOf(model));
    expect(maxAbsDiff(disabled, base)).toBe(0);
    lora.merge();
    expect(maxAbsDiff(logitsOf(model), adapted)).toBeLessThan(1e-5);
    expect([...model.namedParameters()].some(([n]) => n.includes('lora_'))).toBe(false);
  });

  it('a copy of an adapted GPT-2 (copyParametersFrom) computes the same logits exactly; merge mode to 1e-5', () => {
    const model = new GPT2LMHeadModel(backend, config, new Random(1));
    const lora = applyLora(model, { r: 2, target_modules: ['c_attn', 'c_fc'] }, new Random(2));
    for (const layer of lora.layers.values()) {
      const b = (layer.adapter as LoraAdapter).lora_B.weight;
      b.assign(randomNormal(backend, b.shape, new Random(b.id), 0, 0.2));
    }
    const adapted = logitsOf(model);
    const copy = new GPT2LMHeadModel(backend, config, new Random(9));
    copy.copyParametersFrom(model);
    expect(maxAbsDiff(logitsOf(copy), adapted)).toBe(0);
    expect([...copy.namedParameters()].filter(([n]) => n.includes('lora_')).every(([, p]) => !p.requiresGrad)).toBe(
      true,
    );
    const merged = new GPT2LMHeadModel(backend, config, new Random(9));
    merged.copyParametersFrom(model, { adapters: 'merge' });
    expect([...merged.namedParameters()].some(([n]) => n.includes('lora_'))).toBe(false);
    expect(maxAbsDiff(logitsOf(merged), adapted)).toBeLessThan(1e-5);
  });
});
