import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsBackend } from '@rlhf/backend-js';
import { InvalidArgumentError, type Module, Random, ShapeError } from '@rlhf/core';
import { expectTypedError } from '@rlhf/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { type RefTensor, randomTensor, seeded, writeF32Safetensors } from '../__fixtures__/gpt2-reference.js';
import { GPT2LMHeadModel } from '../gpt2/gpt2-model.js';
import { LlamaForCausalLM } from '../llama/llama-for-causal-lm.js';
import { loadAdapter } from '../node/adapter-files.js';
import { SafetensorsError } from '../safetensors/safetensors-error.js';
import { AdapterError } from './adapter-error.js';
import { type ApplyLoraOptions, applyLora } from './lora.js';
import { type LoraConfig, LoraError } from './lora-config.js';

const backend = createJsBackend();
const llamaConfig = {
  vocab_size: 40,
  hidden_size: 32,
  intermediate_size: 48,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  max_position_embeddings: 32,
  rms_norm_eps: 1e-5,
};
const gpt2Config = { model_type: 'gpt2', vocab_size: 40, n_positions: 16, n_embd: 16, n_layer: 2, n_head: 2 };
const llama = (layers = 2, hidden = 32) =>
  new LlamaForCausalLM(backend, { ...llamaConfig, num_hidden_layers: layers, hidden_size: hidden }, new Random(1));
const gpt2 = () => new GPT2LMHeadModel(backend, gpt2Config, new Random(1));

/** The model is as before the failed call: every parameter trainable, no adapter attached. */
function expectUnchanged(model: Module): void {
  expect(model.parameterCount(true)).toBe(model.parameterCount());
  expect([...model.namedParameters()].some(([n]) => n.includes('lora_'))).toBe(false);
}

describe('bad input: LoRA options (applyLora validates first; the model is left unchanged)', () => {
  const cases: [string, LoraConfig, string[]][] = [
    ['lora options: r 0', { r: 0 }, ["'r'", 'positive integer', '0']],
    ['lora options: r −1', { r: -1 }, ["'r'", '-1']],
    ['lora options: r 2.5 (not an integer)', { r: 2.5 }, ["'r'", '2.5']],
    ['lora options: r as a string', { r: '4' as unknown as number }, ["'r'", '"4"']],
    ['lora options: lora_alpha 0', { lora_alpha: 0 }, ["'lora_alpha'", '> 0']],
    ['lora options: lora_alpha −2', { lora_alpha: -2 }, ["'lora_alpha'", '-2']],
    ['lora options: lora_alpha NaN', { lora_alpha: Number.NaN }, ["'lora_alpha'"]],
    ['lora options: lora_dropout 1', { lora_dropout: 1 }, ["'lora_dropout'", '[0, 1)']],
    ['lora options: lora_dropout −0.1', { lora_dropout: -0.1 }, ["'lora_dropout'", '-0.1']],
    ['lora options: target_modules empty', { target_modules: [] }, ["'target_modules'", 'at least one']],
    [
      'lora options: target_modules an unknown name',
      { target_modules: ['nope'] },
      ["'nope'", 'matched no linear layer', 'q_proj'],
    ],
    ['lora options: one unknown name among known ones', { target_modules: ['q_proj', 'qproj'] }, ["'qproj'"]],
    [
      'lora options: target_modules names a norm layer',
      { target_modules: ['input_layernorm'] },
      ['input_layernorm', 'not a linear layer'],
    ],
    [
      'lora options: target_modules a string',
      { target_modules: 'q_proj' as unknown as string[] },
      ["'target_modules'", 'list'],
    ],
    ['lora options: target_modules holds an empty name', { target_modules: [''] }, ["'target_modules'", 'non-empty']],
    ['lora options: an unknown key (rank)', { rank: 4 } as unknown as LoraConfig, ["'rank'", 'not a LoRA option']],
    ['lora options: use_rslora not a boolean', { use_rslora: 'yes' as unknown as boolean }, ["'use_rslora'"]],
  ];
  it.each(cases)('%s', async (_title, config, mentions) => {
    const model = llama();
    await expectTypedError(() => applyLora(model, config, new Random(0)), { type: LoraError, code: 'LORA', mentions });
    expectUnchanged(model);
  });

  it('lora options: config null', async () => {
    const model = llama();
    await expectTypedError(() => applyLora(model, null as unknown as LoraConfig, new Random(0)), {
      type: LoraError,
      mentions: ["'config'", 'object'],
    });
    expectUnchanged(model);
  });

  it('lora options: a Llama layer name on GPT-2 lists GPT-2’s linear layers', async () => {
    const model = gpt2();
    await expectTypedError(() => applyLora(model, { target_modules: ['q_proj'] }, new Random(0)), {
      type: LoraError,
      mentions: ["'q_proj'", 'c_attn', 'c_fc'],
    });
    expectUnchanged(model);
  });

  it('lora options: a model that already has adapters is refused (no leak of the old ones)', async () => {
    const model = llama();
    applyLora(model, { r: 2, target_modules: ['q_proj'] }, new Random(0));
    const names = [...model.namedParameters()].map(([n]) => n);
    await expectTypedError(() => applyLora(model, { r: 4, target_modules: ['q_proj'] }, new Random(0)), {
      type: LoraError,
      mentions: ['already has LoRA adapters', 'model.layers.0.self_attn.q_proj', "existingAdapters: 'merge'"],
    });
    expect([...model.namedParameters()].map(([n]) => n)).toEqual(names);
  });

  it('lora options: existingAdapters neither error nor merge', async () => {
    const model = llama();
    const options = { existingAdapters: 'replace' } as unknown as ApplyLoraOptions;
    await expectTypedError(() => applyLora(model, { target_modules: ['q_proj'] }, new Random(0), options), {
      type: LoraError,
      mentions: ["'existingAdapters'", 'replace'],
    });
    expectUnchanged(model);
  });
});

describe('bad input: adapter folders (loadAdapter checks everything before changing the model)', () => {
  const root = mkdtempSync(join(tmpdir(), 'lora-bad-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const goodConfig = {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    base_model_name_or_path: 'tiny',
    r: 2,
    lora_alpha: 4,
    lora_dropout: 0,
    target_modules: ['q_proj'],
    bias: 'none',
    fan_in_fan_out: false,
  };
  /** PEFT tensors for q_proj of the tiny Llama at rank r (A (r, 32), B (32, r)). */
  function qTensors(r = 2, out = 32): Map<string, RefTensor> {
    const next = seeded(1);
    const t = new Map<string, RefTensor>();
    for (let l = 0; l < 2; l++) {
      t.set(`base_model.model.model.layers.${l}.self_attn.q_proj.lora_A.weight`, randomTensor(next, [r, 32], 0.1));
      t.set(`base_model.model.model.layers.${l}.self_attn.q_proj.lora_B.weight`, randomTensor(next, [out, r], 0.1));
    }
    return t;
  }
  let n = 0;
  /** An adapter folder with the given files (`undefined` config or `null` tensors leave the file out). */
  function folder(config: unknown, tensors: Map<string, RefTensor> | Uint8Array | null = qTensors()): string {
    const dir = join(root, `a${n++}`);
    mkdirSync(dir);
    if (config !== undefined)
      writeFileSync(
        join(dir, 'adapter_config.json'),
        typeof config === 'string' || config instanceof Uint8Array ? config : JSON.stringify(config),
      );
    if (tensors !== null)
      writeFileSync(
        join(dir, 'adapter_model.safetensors'),
        tensors instanceof Uint8Array ? tensors : writeF32Safetensors(tensors),
      );
    return dir;
  }

  const configCases: [string, unknown, string[]][] = [
    ['adapter config: not JSON', '{"peft_type": "LORA",', ['adapter_config.json', 'not valid UTF-8 JSON']],
    ['adapter config: invalid UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), ['adapter_config.json', 'UTF-8']],
    ['adapter config: a JSON array', [goodConfig], ['adapter_config.json', 'JSON object']],
    ['adapter config: peft_type IA3', { ...goodConfig, peft_type: 'IA3' }, ["'peft_type'", 'LORA', 'IA3']],
    ['adapter config: peft_type missing', { ...goodConfig, peft_type: undefined }, ["'peft_type'"]],
    ['adapter config: task_type SEQ_CLS', { ...goodConfig, task_type: 'SEQ_CLS' }, ["'task_type'", 'CAUSAL_LM']],
    ['adapter config: bias "all"', { ...goodConfig, bias: 'all' }, ["'bias'", 'none']],
    ['adapter config: DoRA', { ...goodConfig, use_dora: true }, ["'use_dora'", 'DoRA']],
    [
      'adapter config: regex target_modules',
      { ...goodConfig, target_modules: '.*q_proj' },
      ["'target_modules'", 'regular expression'],
    ],
    [
      'adapter config: target_modules missing',
      { ...goodConfig, target_modules: undefined },
      ["'target_modules'", 'missing'],
    ],
    [
      'adapter config: modules_to_save',
      { ...goodConfig, modules_to_save: ['lm_head'] },
      ["'modules_to_save'", 'lm_head'],
    ],
    ['adapter config: layers_to_transform', { ...goodConfig, layers_to_transform: [0] }, ["'layers_to_transform'"]],
    ['adapter config: rank_pattern', { ...goodConfig, rank_pattern: { q_proj: 4 } }, ["'rank_pattern'"]],
    ['adapter config: r 0', { ...goodConfig, r: 0 }, ['adapter_config.json', "'r'", 'positive integer']],
    ['adapter config: lora_alpha negative', { ...goodConfig, lora_alpha: -1 }, ['adapter_config.json', "'lora_alpha'"]],
    ['adapter config: fan_in_fan_out a string', { ...goodConfig, fan_in_fan_out: 'no' }, ["'fan_in_fan_out'"]],
    [
      'adapter architecture: fan_in_fan_out true on Llama',
      { ...goodConfig, fan_in_fan_out: true },
      ["'fan_in_fan_out'", 'another architecture', 'q_proj'],
    ],
    [
      'adapter architecture: a GPT-2 adapter (c_attn) on Llama',
      { ...goodConfig, target_modules: ['c_attn'], fan_in_fan_out: true },
      ['adapter_config.json', "'c_attn'", 'matched no linear layer'],
    ],
  ];
  it.each(configCases)('%s', async (_title, config, mentions) => {
    const model = llama();
    await expectTypedError(() => loadAdapter(model, folder(config)), {
      type: AdapterError,
      code: 'LORA_ADAPTER',
      mentions,
    });
    expectUnchanged(model);
  });

  const tensorCases: [string, Record<string, unknown>, Map<string, RefTensor>, string[]][] = [
    [
      'adapter tensors: rank 2 in the file, r 4 in the config',
      { ...goodConfig, r: 4 },
      qTensors(2),
      ['lora_A.weight', '[2, 32]', '[4, 32]'],
    ],
    [
      'adapter tensors: lora_B of the wrong output width',
      goodConfig,
      qTensors(2, 16),
      ['q_proj.lora_B.weight', '[16, 2]', '[32, 2]'],
    ],
    [
      'adapter tensors: a layer’s lora_B missing',
      goodConfig,
      new Map([...qTensors()].filter(([k]) => k !== 'base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight')),
      ['layers.1.self_attn.q_proj.lora_B.weight', 'missing'],
    ],
    [
      'adapter tensors: an unexpected tensor (adapter name kept in the key)',
      goodConfig,
      new Map([
        ...qTensors(),
        [
          'base_model.model.model.layers.0.self_attn.q_proj.lora_A.default.weight',
          randomTensor(seeded(2), [2, 32], 0.1),
        ],
      ]),
      ['lora_A.default.weight', 'not a LoRA tensor'],
    ],
  ];
  it.each(tensorCases)('%s', async (_title, config, tensors, mentions) => {
    const model = llama();
    await expectTypedError(() => loadAdapter(model, folder(config, tensors)), {
      type: LoraError,
      mentions: ['adapter_model.safetensors', ...mentions],
    });
    expectUnchanged(model);
  });

  it('adapter folder: the folder does not exist', async () => {
    await expectTypedError(() => loadAdapter(llama(), join(root, 'absent')), {
      type: AdapterError,
      mentions: ['absent', 'not a folder'],
    });
  });
  it('adapter folder: adapter_config.json missing', async () => {
    await expectTypedError(() => loadAdapter(llama(), folder(undefined)), {
      type: AdapterError,
      mentions: ['adapter_config.json', 'missing'],
    });
  });
  it('adapter folder: adapter_model.safetensors missing', async () => {
    await expectTypedError(() => loadAdapter(llama(), folder(goodConfig, null)), {
      type: AdapterError,
      mentions: ['adapter_model.safetensors', 'missing'],
    });
  });
  it('adapter folder: adapter_model.safetensors is garbage', async () => {
    const model = llama();
    await expectTypedError(() => loadAdapter(model, folder(goodConfig, new Uint8Array([1, 2, 3, 4, 5]))), {
      type: SafetensorsError,
      mentions: ['adapter_model.safetensors'],
    });
    expectUnchanged(model);
  });
  it('adapter folder: the model already has adapters', async () => {
    const model = llama();
    await loadAdapter(model, folder(goodConfig));
    await expectTypedError(() => loadAdapter(model, folder(goodConfig)), {
      type: AdapterError,
      mentions: ['already has LoRA adapters'],
    });
  });
});

describe('bad input: mismatched copies (copyParametersFrom is strict and changes nothing on error)', () => {
  const firstWeight = (m: Module) => Array.from([...m.namedParameters()][0]?.[1].dataSync() ?? []);
  it('copy: hidden size differs', async () => {
    const target = llama(2, 32);
    const before = firstWeight(target);
    await expectTypedError(() => target.copyParametersFrom(llama(2, 16)), {
      type: ShapeError,
      mentions: ['model.embed_tokens.weight', 'shape differs'],
    });
    expect(firstWeight(target)).toEqual(before);
  });
  it('copy: the source has fewer layers than the target', async () => {
    await expectTypedError(() => llama(3).copyParametersFrom(llama(2)), {
      type: InvalidArgumentError,
      mentions: ['model.layers.2.', 'missing in the source'],
    });
  });
  it('copy: the source has more layers than the target', async () => {
    const target = llama(2);
    const before = firstWeight(target);
    await expectTypedError(() => target.copyParametersFrom(llama(3)), {
      type: InvalidArgumentError,
      mentions: ['model.layers.2.', 'this module lacks'],
    });
    expect(firstWeight(target)).toEqual(before);
  });
  it('copy: the target has an adapter the source lacks', async () => {
    const target = llama();
    applyLora(target, { target_modules: ['q_proj'] }, new Random(0));
    await expectTypedError(() => target.copyParametersFrom(llama()), {
      type: InvalidArgumentError,
      mentions: ['model.layers.0.self_attn.q_proj', 'has no adapter'],
    });
  });
  it('copy: GPT-2 into Llama', async () => {
    await expectTypedError(() => llama().copyParametersFrom(gpt2()), {
      type: InvalidArgumentError,
      mentions: ['model.embed_tokens.weight', 'missing in the source'],
    });
  });
  it('copy: options.adapters neither copy nor merge', async () => {
    await expectTypedError(() => llama().copyParametersFrom(llama(), { adapters: 'drop' as 'copy' }), {
      type: InvalidArgumentError,
      mentions: ['options.adapters', 'drop'],
    });
  });
});
