import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJsBackend } from '@rlhf/backend-js';
import { Random } from '@rlhf/core';
import { expectTypedError } from '@rlhf/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelConfigError } from '../errors/model-config-error.js';
import { GPT2LMHeadModel } from '../gpt2/gpt2-model.js';
import { LlamaForCausalLM } from '../llama/llama-for-causal-lm.js';
import { convertLlama2c } from '../llama2c/convert-llama2c.js';
import { NonFiniteWeightsError } from '../pretrained/finite-weights.js';
import { WeightsMismatchError } from '../pretrained/weights.js';
import { parseSafetensorsHeader } from '../safetensors/parse-header.js';
import { TokenizerError } from '../tokenizer/tokenizer-error.js';
import { loadModel } from './load-model.js';
import { writeHfDirectory } from './write-hf-directory.js';

const data = fileURLToPath(new URL('../../../../data/models/stories260K/', import.meta.url));
const backend = createJsBackend();
const root = mkdtempSync(join(tmpdir(), 'rlhf-model-files-'));
let stories: string;
let gpt2: string;
let tiny: string;
let n = 0;

beforeAll(async () => {
  stories = join(root, 'stories260K');
  await writeHfDirectory(
    stories,
    convertLlama2c(readFileSync(join(data, 'stories260K.bin')), readFileSync(join(data, 'tok512.bin'))),
  );
  gpt2 = join(root, 'gpt2');
  await new GPT2LMHeadModel(
    backend,
    { model_type: 'gpt2', vocab_size: 40, n_positions: 16, n_embd: 8, n_layer: 1, n_head: 2 },
    new Random(0),
  ).save(gpt2);
  tiny = join(root, 'tiny');
  await new LlamaForCausalLM(
    backend,
    {
      vocab_size: 100,
      hidden_size: 8,
      intermediate_size: 16,
      num_hidden_layers: 1,
      num_attention_heads: 2,
      max_position_embeddings: 16,
    },
    new Random(0),
  ).save(tiny);
});

/** A copy of `base` whose `file` (JSON) is changed by `edit`. */
function variant(base: string, file: string, edit: (json: Record<string, unknown>) => unknown): string {
  const dir = join(root, `case-${n++}`);
  cpSync(base, dir, { recursive: true });
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  } catch {
    // a file the base lacks starts empty
  }
  const out = edit(json) ?? json;
  writeFileSync(join(dir, file), typeof out === 'string' ? out : JSON.stringify(out));
  return dir;
}

const config = (base: () => string, patch: Record<string, unknown>) => () =>
  variant(base(), 'config.json', (c) => ({ ...c, ...patch }));

describe('config.json is checked before anything is allocated (Llama)', () => {
  it.each([
    ['hidden_size 1e9 with a 1 MB weights file', { hidden_size: 1e9 }, 'hidden_size'],
    ['vocab_size 2^40', { vocab_size: 2 ** 40 }, 'vocab_size'],
    ['intermediate_size 1e9', { intermediate_size: 1e9 }, 'intermediate_size'],
    ['num_hidden_layers 10,000', { num_hidden_layers: 10_000 }, 'num_hidden_layers'],
    ['head_dim 1e6', { head_dim: 1e6 }, 'head_dim'],
    ['max_position_embeddings 1e300', { max_position_embeddings: 1e300 }, 'max_position_embeddings'],
    ['hidden_size as a string', { hidden_size: '64' }, 'hidden_size'],
    ['hidden_size negative', { hidden_size: -64 }, 'hidden_size'],
    ['hidden_size zero', { hidden_size: 0 }, 'hidden_size'],
    ['hidden_size fractional', { hidden_size: 64.5 }, 'hidden_size'],
    ['vocab_size missing', { vocab_size: undefined }, 'vocab_size'],
    [
      'num_attention_heads not dividing hidden_size',
      { num_attention_heads: 7, num_key_value_heads: 7, head_dim: undefined },
      'num_attention_heads',
    ],
    ['mlp_bias true (no MLP biases in this architecture)', { mlp_bias: true }, 'mlp_bias'],
    [
      'rope_scaling that this library does not apply',
      { rope_scaling: { rope_type: 'llama3', factor: 8 } },
      'rope_scaling',
    ],
    ['num_key_value_heads not dividing the heads', { num_key_value_heads: 3 }, 'num_key_value_heads'],
    ['num_key_value_heads zero', { num_key_value_heads: 0 }, 'num_key_value_heads'],
    ['rope_theta not a number', { rope_theta: 'abc' }, 'rope_theta'],
    ['rope_theta negative', { rope_theta: -1 }, 'rope_theta'],
    ['rope_theta zero', { rope_theta: 0 }, 'rope_theta'],
    ['rms_norm_eps negative', { rms_norm_eps: -1e-5 }, 'rms_norm_eps'],
    ['rms_norm_eps zero', { rms_norm_eps: 0 }, 'rms_norm_eps'],
    ['tie_word_embeddings not a boolean', { tie_word_embeddings: 'yes' }, 'tie_word_embeddings'],
    ['model_type unsupported', { model_type: 'bert' }, 'model_type'],
    ['model_type not a string', { model_type: 42 }, 'model_type'],
    ['bos_token_id outside the vocabulary', { bos_token_id: 600 }, 'bos_token_id'],
    ['eos_token_id negative', { eos_token_id: -1 }, 'eos_token_id'],
    ['eos_token_id list with an id outside the vocabulary', { eos_token_id: [2, 9999] }, 'eos_token_id'],
    ['pad_token_id fractional', { pad_token_id: 1.5 }, 'pad_token_id'],
  ])('config: %s → ModelConfigError naming the key', async (_title, patch, key) => {
    const dir = config(() => stories, patch)();
    await expectTypedError(() => loadModel(dir, { backend }), {
      type: ModelConfigError,
      code: 'MODEL_CONFIG',
      mentions: [join(dir, 'config.json'), `'${key}'`],
    });
  });

  it('config: rope_theta 1e999 (JSON for infinity) → ModelConfigError', async () => {
    const dir = variant(stories, 'config.json', (c) => JSON.stringify(c).replace(/}$/, ',"rope_theta":1e999}'));
    await expectTypedError(() => loadModel(dir, { backend }), {
      type: ModelConfigError,
      mentions: ['config.json', "'rope_theta'"],
    });
  });

  it.each([
    [
      'a 4096-wide config with the 1 MB stories260K weights',
      { hidden_size: 4096 },
      'hidden_size',
      'model.embed_tokens.weight',
    ],
    ['vocab_size 513 for a 512-row embedding', { vocab_size: 513 }, 'vocab_size', 'model.embed_tokens.weight'],
    ['intermediate_size 100 for 172-wide MLPs', { intermediate_size: 100 }, 'intermediate_size', 'gate_proj'],
    ['num_hidden_layers 6 for 5 layers of weights', { num_hidden_layers: 6 }, 'num_hidden_layers', 'model.layers.5'],
    ['num_key_value_heads 8 for 4-head k_proj weights', { num_key_value_heads: 8 }, 'num_key_value_heads', 'k_proj'],
    ['head_dim 16 for 8-wide heads', { head_dim: 16 }, 'head_dim', 'q_proj'],
    ['tie_word_embeddings false without lm_head.weight', { tie_word_embeddings: false }, 'lm_head.weight', 'missing'],
    ['attention_bias true without biases', { attention_bias: true }, 'q_proj.bias', 'missing'],
  ])('config vs weights: %s → WeightsMismatchError naming the key and both files', async (_t, patch, key, tensor) => {
    const dir = config(() => stories, patch)();
    await expectTypedError(() => loadModel(dir, { backend }), {
      type: WeightsMismatchError,
      code: 'WEIGHTS_MISMATCH',
      mentions: [join(dir, 'model.safetensors'), key, tensor],
    });
  });

  it('config vs weights: num_hidden_layers 4 for 5 layers → the extra tensor is named', async () => {
    const dir = config(() => stories, { num_hidden_layers: 4 })();
    await expectTypedError(() => loadModel(dir, { backend }), {
      type: WeightsMismatchError,
      mentions: ['model.safetensors', 'model.layers.4.', 'config and weights disagree'],
    });
  });
});

describe('config.json is checked before anything is allocated (GPT-2)', () => {
  it.each([
    ['n_embd 1e9', { n_embd: 1e9 }, 'n_embd'],
    ['n_positions 2^40', { n_positions: 2 ** 40 }, 'n_positions'],
    ['n_inner 1e9', { n_inner: 1e9 }, 'n_inner'],
    ['n_head not dividing n_embd', { n_head: 3 }, 'n_head'],
    ['layer_norm_epsilon negative', { layer_norm_epsilon: -1e-5 }, 'layer_norm_epsilon'],
    ['n_layer as a string', { n_layer: '1' }, 'n_layer'],
  ])('config: GPT-2 %s → ModelConfigError naming the key', async (_t, patch, key) => {
    const dir = config(() => gpt2, patch)();
    await expectTypedError(() => loadModel(dir, { backend }), {
      type: ModelConfigError,
      mentions: ['config.json', `'${key}'`],
    });
  });

  it.each([
    ['n_positions 2048 for a 16-row position table', { n_positions: 2048 }, 'n_positions', 'transformer.wpe.weight'],
    ['n_embd 4096 for an 8-wide model', { n_embd: 4096 }, 'n_embd', 'transformer.wte.weight'],
    ['n_inner 64 for 32-wide MLPs', { n_inner: 64 }, 'n_inner', 'c_fc'],
  ])('config vs weights: GPT-2 %s → WeightsMismatchError', async (_t, patch, key, tensor) => {
    const dir = config(() => gpt2, patch)();
    await expectTypedError(() => loadModel(dir, { backend }), {
      type: WeightsMismatchError,
      mentions: ['model.safetensors', `'${key}'`, tensor],
    });
  });
});

describe('special tokens and the tokenizer fit the vocabulary', () => {
  it.each([
    ['eos_token_id 70000', { eos_token_id: 70000 }, 'eos_token_id'],
    ['bos_token_id as a string', { bos_token_id: '1' }, 'bos_token_id'],
    ['pad_token_id 512 (= vocab_size)', { pad_token_id: 512 }, 'pad_token_id'],
  ])('special tokens: generation_config.json %s → ModelConfigError', async (_t, patch, key) => {
    const dir = variant(stories, 'generation_config.json', (g) => ({ ...g, ...patch }));
    await expectTypedError(() => loadModel(dir, { backend }), {
      type: ModelConfigError,
      mentions: [join(dir, 'generation_config.json'), `'${key}'`],
    });
  });

  it('tokenizer: a 512-token tokenizer with a 100-token model → TokenizerError naming vocab_size', async () => {
    const dir = join(root, `case-${n++}`);
    cpSync(tiny, dir, { recursive: true });
    cpSync(join(stories, 'tokenizer.json'), join(dir, 'tokenizer.json'));
    cpSync(join(stories, 'tokenizer_config.json'), join(dir, 'tokenizer_config.json'));
    await expectTypedError(() => loadModel(dir, { backend }), {
      type: TokenizerError,
      code: 'TOKENIZER_VOCAB_MISMATCH',
      mentions: [join(dir, 'tokenizer.json'), "'vocab_size' = 100", '511'],
    });
  });

  it('tokenizer: an unsafe pre-tokenizer regex in the model folder → TokenizerError at load', async () => {
    const dir = variant(stories, 'tokenizer.json', (t) => ({
      ...t,
      pre_tokenizer: { type: 'Split', pattern: { Regex: '(a+)+$' }, behavior: 'Isolated', invert: false },
    }));
    await expectTypedError(() => loadModel(dir, { backend }), {
      type: TokenizerError,
      code: 'TOKENIZER_REGEX_UNSAFE',
      mentions: ['tokenizer.json', '(a+)+$'],
    });
  });
});

/** A copy of `base` with `value` written at element `index` of `tensor` in model.safetensors (F32). */
function poisoned(base: string, tensor: string, index: number, value: number): string {
  const dir = join(root, `case-${n++}`);
  cpSync(base, dir, { recursive: true });
  const file = join(dir, 'model.safetensors');
  const bytes = readFileSync(file);
  const header = parseSafetensorsHeader(bytes, file);
  const entry = header.entries.find((e) => e.name === tensor);
  if (entry?.dtype !== 'F32') throw new Error(`no F32 tensor ${tensor}`);
  new DataView(bytes.buffer, bytes.byteOffset).setFloat32(header.dataStart + entry.begin + 4 * index, value, true);
  writeFileSync(file, bytes);
  return dir;
}

describe('non-finite weights are refused at load', () => {
  it.each([
    ['NaN in model.norm.weight', 'model.norm.weight', 3, Number.NaN],
    ['+Infinity in the embedding', 'model.embed_tokens.weight', 12_345, Number.POSITIVE_INFINITY],
    ['-Infinity in an MLP', 'model.layers.4.mlp.down_proj.weight', 0, Number.NEGATIVE_INFINITY],
    ['NaN in the last element of a tensor', 'model.layers.0.self_attn.q_proj.weight', 64 * 64 - 1, Number.NaN],
  ])('weights: %s → NonFiniteWeightsError naming the tensor', async (_t, tensor, index, value) => {
    const dir = poisoned(stories, tensor, index, value);
    const error = await expectTypedError(() => loadModel(dir, { backend }), {
      type: NonFiniteWeightsError,
      code: 'WEIGHTS_NON_FINITE',
      mentions: [join(dir, 'model.safetensors'), `'${tensor}'`, `element ${index}`],
    });
    expect((error as NonFiniteWeightsError).tensorName).toBe(tensor);
  });

  it('weights: NaN in a GPT-2 bias → NonFiniteWeightsError', async () => {
    const dir = poisoned(gpt2, 'transformer.h.0.attn.c_attn.bias', 5, Number.NaN);
    await expectTypedError(() => loadModel(dir, { backend }), {
      type: NonFiniteWeightsError,
      mentions: ['transformer.h.0.attn.c_attn.bias'],
    });
  });

  it('the unchanged folders still load (the checks accept good models)', async () => {
    for (const dir of [stories, gpt2, tiny]) {
      const model = await loadModel(dir, { backend });
      expect(model.parameterCount()).toBeGreaterThan(0);
      model.dispose();
    }
  });
});
