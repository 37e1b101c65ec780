import { createJsBackend } from '@rlhf/backend-js';
import { crossEntropy, Random, randomNormal, tensor, tidy } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { LlamaForCausalLM } from '../llama/llama-for-causal-lm.js';
import { applyLora } from './lora.js';
import type { LoraAdapter } from './lora-adapter.js';

const config = {
  vocab_size: 40,
  hidden_size: 32,
  intermediate_size: 64,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  max_position_embeddings: 32,
  rms_norm_eps: 1e-5,
  tie_word_embeddings: true,
};

async function logitsOf(model: LlamaForCausalLM, ids: number[]): Promise<Float32Array> {
  const backend = model.backend;
  return tidy(
    () => model.forward(tensor(backend, Int32Array.from(ids), [1, ids.length], 'int32')).logits,
  ).data() as Promise<Float32Array>;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  return a.reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);
}

describe('LoRA', () => {
  const ids = [1, 5, 9, 3, 22, 7, 30];

  it('with zero-initialised B the output equals the base model; only adapters train', async () => {
    const backend = createJsBackend();
    const model = new LlamaForCausalLM(backend, config, new Random(1));
    const base = await logitsOf(model, ids);
    const total = model.parameterCount();
    const lora = applyLora(model, { r: 4, lora_alpha: 8, target_modules: ['q_proj', 'v_proj'] }, new Random(2));
    expect(Array.from(await logitsOf(model, ids))).toEqual(Array.from(base));
    // per layer: q_proj A (4×32) + B (32×4) = 256; v_proj B is (16×4) since 2 kv heads × 8 = 16: 128 + 64 = 192
    expect(lora.trainableParameters()).toBe(2 * (256 + 192));
    expect(model.parameterCount()).toBe(total + lora.trainableParameters());
    const names = [...model.namedParameters()].filter(([, p]) => p.requiresGrad).map(([n]) => n);
    expect(names).toContain('model.layers.0.self_attn.q_proj.lora_A.weight');
    expect(names).toContain('model.layers.1.self_attn.v_proj.lora_B.weight');
    expect(names.every((n) => n.includes('.lora_'))).toBe(true);
  });

  it('after training, merging gives the adapter model’s output to 1e-5; disabled adapters give the base', async () => {
    const backend = createJsBackend();
    const model = new LlamaForCausalLM(backend, config, new Random(1));
    const base = await logitsOf(model, ids);
    const lora = applyLora(
      model,
      { r: 4, lora_alpha: 16, target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj'] },
      new Random(2),
    );
    for (const layer of lora.layers.values()) {
      const b = (layer.adapter as LoraAdapter).lora_B.weight;
      b.assign(randomNormal(backend, b.shape, new Random(b.id), 0, 0.1));
    }
    const adapted = await logitsOf(model, ids);
    expect(maxAbsDiff(adapted, base)).toBeGreaterThan(1e-3);
    const disabled = lora.withAdaptersDisabled(() =>
      tidy(() => model.forward(tensor(backend, Int32Array.from(ids), [1, ids.length], 'int32')).logits),
    );
    expect(maxAbsDiff((await disabled.data()) as Float32Array, base)).toBe(0);
    // a gradient step reaches only the adapters
    tidy(() =>
      crossEntropy(
        model.forward(tensor(backend, Int32Array.from(ids), [1, ids.length], 'int32')).logits,
        tensor(backend, Int32Array.from(ids), [1, ids.length], 'int32'),
      ).backward(),
    );
    const withGrad = [...model.namedParameters()].filter(([, p]) => p.grad).map(([n]) => n);
    expect(withGrad.length).toBeGreaterThan(0);
    expect(withGrad.every((n) => n.includes('.lora_'))).toBe(true);
    model.zeroGrad();
    lora.merge();
    const merged = await logitsOf(model, ids);
    expect(maxAbsDiff(merged, adapted)).toBeLessThan(1e-5);
    expect([...model.namedParameters()].some(([n]) => n.includes('lora_'))).toBe(false);
  });

  it('saves in PEFT layout and loads back', async () => {
    const backend = createJsBackend();
    const model = new LlamaForCausalLM(backend, config, new Random(1));
    const lora = applyLora(model, { r: 2, target_modules: ['q_proj'] }, new Random(3));
    const tensors = await lora.adapterTensors();
    expect([...tensors.keys()].sort()).toEqual([
      'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight',
      'base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight',
      'base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight',
      'base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight',
    ]);
    expect(tensors.get('base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight')?.shape).toEqual([2, 32]);
    expect(lora.adapterConfig()).toMatchObject({ peft_type: 'LORA', r: 2, lora_alpha: 8, target_modules: ['q_proj'] });
    const other = new LlamaForCausalLM(backend, config, new Random(1));
    const lora2 = applyLora(other, { r: 2, target_modules: ['q_proj'] }, new Random(99));
    lora2.loadAdapterTensors(tensors);
    expect(await lora2.adapterTensors()).toEqual(tensors);
    expect(() =>
      applyLora(new LlamaForCausalLM(backend, config, new Random(1)), { target_modules: ['nope'] }, new Random(0)),
    ).toThrow(/matched no linear layer/);
  });
});
