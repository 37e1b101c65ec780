import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsBackend } from '@rlhf/backend-js';
import { Random, randomNormal, tensor, tidy } from '@rlhf/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  gpt2ReferenceLogits,
  mergePeftByHand,
  type RefGpt2Config,
  type RefTensor,
  randomGpt2Weights,
  randomTensor,
  readF32Safetensors,
  seeded,
  writeF32Safetensors,
} from '../__fixtures__/gpt2-reference.js';
import { LlamaForCausalLM } from '../llama/llama-for-causal-lm.js';
import { loadAdapter, saveAdapter } from '../node/adapter-files.js';
import { loadModel } from '../node/load-model.js';
import type { CausalLM } from '../pretrained/causal-lm.js';
import { loadWeights } from '../pretrained/weights.js';
import { applyLora } from './lora.js';
import type { LoraAdapter } from './lora-adapter.js';

// The PEFT round trip against an independent implementation (plain loops, own safetensors reader and
// writer, PEFT's merge by hand: `__fixtures__/gpt2-reference.ts`), in both directions.
const root = mkdtempSync(join(tmpdir(), 'peft-roundtrip-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const backend = createJsBackend();

const gpt2: RefGpt2Config = {
  vocab_size: 53,
  n_positions: 32,
  n_embd: 16,
  n_layer: 2,
  n_head: 2,
  layer_norm_epsilon: 1e-5,
};
const baseWeights = randomGpt2Weights(gpt2, 11);
const baseDir = join(root, 'gpt2-base');
mkdirSync(baseDir);
writeFileSync(join(baseDir, 'config.json'), JSON.stringify({ ...gpt2, model_type: 'gpt2' }));
writeFileSync(join(baseDir, 'model.safetensors'), writeF32Safetensors(baseWeights));
const ids = [4, 9, 31, 0, 52, 17, 8, 23];

function logitsOf(model: CausalLM, input: number[] = ids): Float32Array {
  return tidy(
    () => model.forward(tensor(backend, Int32Array.from(input), [1, input.length], 'int32')).logits,
  ).dataSync() as Float32Array;
}

function maxDiffToReference(ours: Float32Array, ref: number[][], vocab: number): number {
  let m = 0;
  for (const [t, row] of ref.entries()) {
    for (const [j, v] of row.entries()) m = Math.max(m, Math.abs(v - (ours[t * vocab + j] as number)));
  }
  return m;
}

describe('PEFT round trip', () => {
  it('ours → independent: a GPT-2 adapter saved here, merged by hand and run by the reference, gives our logits to 1e-5', async () => {
    const model = await loadModel(baseDir, { backend });
    const lora = applyLora(model, { r: 4, lora_alpha: 8, target_modules: ['c_attn', 'c_proj', 'c_fc'] }, new Random(3));
    for (const layer of lora.layers.values()) {
      const b = (layer.adapter as LoraAdapter).lora_B.weight;
      b.assign(randomNormal(backend, b.shape, new Random(b.id), 0, 0.1));
    }
    const ours = logitsOf(model);
    const dir = join(root, 'ours-adapter');
    await saveAdapter(lora, dir, { baseModel: baseDir });

    const config = JSON.parse(readFileSync(join(dir, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({
      peft_type: 'LORA',
      task_type: 'CAUSAL_LM',
      r: 4,
      lora_alpha: 8,
      lora_dropout: 0,
      bias: 'none',
      fan_in_fan_out: true,
      base_model_name_or_path: baseDir,
      inference_mode: true,
    });
    expect([...(config.target_modules as string[])].sort()).toEqual(['c_attn', 'c_fc', 'c_proj']);
    const tensors = readF32Safetensors(readFileSync(join(dir, 'adapter_model.safetensors')));
    expect(tensors.size).toBe(2 * 4 * gpt2.n_layer);
    for (const name of tensors.keys()) {
      expect(name).toMatch(/^base_model\.model\.transformer\.h\.\d\.(attn|mlp)\.c_(attn|proj|fc)\.lora_[AB]\.weight$/);
      expect(name).not.toContain('.default');
    }
    expect(tensors.get('base_model.model.transformer.h.0.attn.c_attn.lora_A.weight')?.shape).toEqual([4, 16]);
    expect(tensors.get('base_model.model.transformer.h.0.attn.c_attn.lora_B.weight')?.shape).toEqual([48, 4]);
    expect(tensors.get('base_model.model.transformer.h.1.mlp.c_proj.lora_A.weight')?.shape).toEqual([4, 64]);

    const merged = mergePeftByHand(baseWeights, config, tensors);
    const reference = gpt2ReferenceLogits(gpt2, merged, ids);
    const base = gpt2ReferenceLogits(gpt2, baseWeights, ids);
    expect(maxDiffToReference(ours, base, gpt2.vocab_size)).toBeGreaterThan(1e-2); // the adapter matters
    expect(maxDiffToReference(ours, reference, gpt2.vocab_size)).toBeLessThan(1e-5);
  });

  it('independent → ours: a GPT-2 adapter folder written by hand in PEFT’s layout loads here and gives the reference’s logits to 1e-5', async () => {
    const next = seeded(5);
    const adapter = new Map<string, RefTensor>();
    const r = 2;
    for (let l = 0; l < gpt2.n_layer; l++) {
      adapter.set(`base_model.model.transformer.h.${l}.attn.c_attn.lora_A.weight`, randomTensor(next, [r, 16], 0.3));
      adapter.set(`base_model.model.transformer.h.${l}.attn.c_attn.lora_B.weight`, randomTensor(next, [48, r], 0.3));
      adapter.set(`base_model.model.transformer.h.${l}.mlp.c_fc.lora_A.weight`, randomTensor(next, [r, 16], 0.3));
      adapter.set(`base_model.model.transformer.h.${l}.mlp.c_fc.lora_B.weight`, randomTensor(next, [64, r], 0.3));
    }
    // adapter_config.json as PEFT writes it for GPT-2 (LoraConfig fields; PEFT sets fan_in_fan_out for Conv1D)
    const config = {
      alpha_pattern: {},
      auto_mapping: null,
      base_model_name_or_path: 'gpt2',
      bias: 'none',
      fan_in_fan_out: true,
      inference_mode: true,
      init_lora_weights: true,
      layers_pattern: null,
      layers_to_transform: null,
      lora_alpha: 6,
      lora_dropout: 0.05,
      modules_to_save: null,
      peft_type: 'LORA',
      r,
      rank_pattern: {},
      revision: null,
      target_modules: ['c_attn', 'c_fc'],
      task_type: 'CAUSAL_LM',
      use_rslora: true,
    };
    const dir = join(root, 'peft-gpt2-adapter');
    mkdirSync(dir);
    writeFileSync(join(dir, 'adapter_config.json'), JSON.stringify(config, null, 2));
    writeFileSync(join(dir, 'adapter_model.safetensors'), writeF32Safetensors(adapter));

    const model = await loadModel(baseDir, { backend });
    const lora = await loadAdapter(model, dir);
    expect(lora.layers.size).toBe(4);
    const ours = logitsOf(model);
    const reference = gpt2ReferenceLogits(gpt2, mergePeftByHand(baseWeights, config, adapter), ids);
    const base = gpt2ReferenceLogits(gpt2, baseWeights, ids);
    expect(maxDiffToReference(ours, base, gpt2.vocab_size)).toBeGreaterThan(1e-2);
    expect(maxDiffToReference(ours, reference, gpt2.vocab_size)).toBeLessThan(1e-5);
  });

  it('independent → ours (Llama): a hand-made PEFT folder (model.layers.N.self_attn.q_proj) equals a hand-merged model to 1e-5', async () => {
    const llama = {
      vocab_size: 40,
      hidden_size: 32,
      intermediate_size: 48,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      max_position_embeddings: 32,
      rms_norm_eps: 1e-5,
      tie_word_embeddings: false,
    };
    const model = new LlamaForCausalLM(backend, llama, new Random(4));
    const baseState = await model.stateDict();
    const next = seeded(9);
    const adapter = new Map<string, RefTensor>();
    for (let l = 0; l < 2; l++) {
      adapter.set(
        `base_model.model.model.layers.${l}.self_attn.q_proj.lora_A.weight`,
        randomTensor(next, [4, 32], 0.3),
      );
      adapter.set(
        `base_model.model.model.layers.${l}.self_attn.q_proj.lora_B.weight`,
        randomTensor(next, [32, 4], 0.3),
      );
      adapter.set(
        `base_model.model.model.layers.${l}.self_attn.v_proj.lora_A.weight`,
        randomTensor(next, [4, 32], 0.3),
      );
      adapter.set(
        `base_model.model.model.layers.${l}.self_attn.v_proj.lora_B.weight`,
        randomTensor(next, [16, 4], 0.3),
      );
    }
    const config = {
      peft_type: 'LORA',
      task_type: 'CAUSAL_LM',
      base_model_name_or_path: 'tiny-llama',
      r: 4,
      lora_alpha: 16,
      lora_dropout: 0,
      target_modules: ['q_proj', 'v_proj'],
      bias: 'none',
      fan_in_fan_out: false,
      inference_mode: true,
      modules_to_save: null,
    };
    const dir = join(root, 'peft-llama-adapter');
    mkdirSync(dir);
    writeFileSync(join(dir, 'adapter_config.json'), JSON.stringify(config));
    writeFileSync(join(dir, 'adapter_model.safetensors'), writeF32Safetensors(adapter));
    const llamaIds = [1, 5, 39, 12, 0, 27, 8];
    const base = logitsOf(model, llamaIds);
    await loadAdapter(model, dir);
    const ours = logitsOf(model, llamaIds);
    const merged = mergePeftByHand(
      new Map([...baseState].map(([k, v]) => [k, { shape: v.shape, data: v.data }])),
      config,
      adapter,
    );
    const handMerged = new LlamaForCausalLM(backend, llama, new Random(0));
    loadWeights(handMerged, merged);
    const expected = logitsOf(handMerged, llamaIds);
    const diff = (a: Float32Array, b: Float32Array) =>
      a.reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);
    expect(diff(ours, base)).toBeGreaterThan(1e-2);
    expect(diff(ours, expected)).toBeLessThan(1e-5);
  });
});
