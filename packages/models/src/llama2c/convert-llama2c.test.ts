import { describe, expect, it } from 'vitest';
import { readData } from '../__fixtures__/data.js';
import { countParameters } from '../hf/hf-directory-content.js';
import { syntheticCheckpoint } from './__fixtures__/synthetic-checkpoint.js';
import { convertLlama2c } from './convert-llama2c.js';
import { Llama2cFormatError } from './llama2c-error.js';
import { permuteRotaryToHf } from './permute-rotary.js';
import { readLlama2cCheckpoint } from './read-checkpoint.js';

const checkpoint = readData('models/stories260K/stories260K.bin');
const tokenizer = readData('models/stories260K/tok512.bin');

/** The state dict Hugging Face's LlamaForCausalLM saves for stories260K (tied: no lm_head.weight). */
function expectedLlamaTable(
  layers: number,
  dim: number,
  kvDim: number,
  hidden: number,
  vocab: number,
): [string, number[]][] {
  const table: [string, number[]][] = [['model.embed_tokens.weight', [vocab, dim]]];
  for (let i = 0; i < layers; i++) {
    table.push(
      [`model.layers.${i}.input_layernorm.weight`, [dim]],
      [`model.layers.${i}.mlp.down_proj.weight`, [dim, hidden]],
      [`model.layers.${i}.mlp.gate_proj.weight`, [hidden, dim]],
      [`model.layers.${i}.mlp.up_proj.weight`, [hidden, dim]],
      [`model.layers.${i}.post_attention_layernorm.weight`, [dim]],
      [`model.layers.${i}.self_attn.k_proj.weight`, [kvDim, dim]],
      [`model.layers.${i}.self_attn.o_proj.weight`, [dim, dim]],
      [`model.layers.${i}.self_attn.q_proj.weight`, [dim, dim]],
      [`model.layers.${i}.self_attn.v_proj.weight`, [kvDim, dim]],
    );
  }
  table.push(['model.norm.weight', [dim]]);
  return table;
}

describe('convertLlama2c (stories260K)', () => {
  const content = convertLlama2c(checkpoint, tokenizer, {
    checkpointName: 'stories260K.bin',
    tokenizerName: 'tok512.bin',
  });

  it('has exactly the tensor names and shapes of a Hugging Face LlamaForCausalLM', () => {
    const actual = [...content.tensors]
      .map(([name, t]) => [name, t.shape])
      .sort(([a], [b]) => String(a).localeCompare(String(b)));
    const expected = expectedLlamaTable(5, 64, 32, 172, 512).sort(([a], [b]) => a.localeCompare(b));
    expect(actual).toEqual(expected);
    for (const t of content.tensors.values()) expect(t.data.length).toBe(t.shape.reduce((a, b) => a * b, 1));
  });

  it("counts 260,032 parameters (embedding once); with llama2.c's RoPE tables that is the file's 264,128 floats", () => {
    expect(countParameters(content.tensors)).toBe(260_032);
    expect(countParameters(content.tensors) + 2 * 512 * (64 / 8 / 2)).toBe(264_128);
  });

  it('writes the config.json of LlamaForCausalLM', () => {
    expect(content.config).toEqual({
      architectures: ['LlamaForCausalLM'],
      attention_bias: false,
      attention_dropout: 0,
      bos_token_id: 1,
      eos_token_id: 2,
      head_dim: 8,
      hidden_act: 'silu',
      hidden_size: 64,
      initializer_range: 0.02,
      intermediate_size: 172,
      max_position_embeddings: 512,
      mlp_bias: false,
      model_type: 'llama',
      num_attention_heads: 8,
      num_hidden_layers: 5,
      num_key_value_heads: 4,
      pretraining_tp: 1,
      rms_norm_eps: 1e-5,
      rope_scaling: null,
      rope_theta: 10000,
      tie_word_embeddings: true,
      torch_dtype: 'float32',
      use_cache: true,
      vocab_size: 512,
    });
    expect(Object.keys(content.config)).toEqual([...Object.keys(content.config)].sort());
    expect(content.generationConfig).toEqual({ _from_model_config: true, bos_token_id: 1, eos_token_id: 2 });
  });

  it('maps every weight to its place: layers split, w1/w2/w3 → gate/down/up, q/k permuted, v/o as they are', () => {
    const { weights } = readLlama2cCheckpoint(checkpoint);
    const layer = (w: Float32Array, i: number, n: number) => w.slice(i * n, (i + 1) * n);
    const get = (name: string) => content.tensors.get(name)?.data;
    expect(get('model.embed_tokens.weight')).toEqual(weights.tokenEmbedding);
    expect(get('model.norm.weight')).toEqual(weights.rmsFinal);
    for (const i of [0, 4]) {
      const p = `model.layers.${i}`;
      expect(get(`${p}.input_layernorm.weight`)).toEqual(layer(weights.rmsAtt, i, 64));
      expect(get(`${p}.post_attention_layernorm.weight`)).toEqual(layer(weights.rmsFfn, i, 64));
      expect(get(`${p}.self_attn.q_proj.weight`)).toEqual(permuteRotaryToHf(layer(weights.wq, i, 4096), 8, 64, 64));
      expect(get(`${p}.self_attn.k_proj.weight`)).toEqual(permuteRotaryToHf(layer(weights.wk, i, 2048), 4, 32, 64));
      expect(get(`${p}.self_attn.v_proj.weight`)).toEqual(layer(weights.wv, i, 2048));
      expect(get(`${p}.self_attn.o_proj.weight`)).toEqual(layer(weights.wo, i, 4096));
      expect(get(`${p}.mlp.gate_proj.weight`)).toEqual(layer(weights.w1, i, 172 * 64));
      expect(get(`${p}.mlp.down_proj.weight`)).toEqual(layer(weights.w2, i, 172 * 64));
      expect(get(`${p}.mlp.up_proj.weight`)).toEqual(layer(weights.w3, i, 172 * 64));
    }
    expect(get('model.layers.0.self_attn.q_proj.weight')).not.toEqual(layer(weights.wq, 0, 4096));
  });

  it('writes an untied model with lm_head.weight and tie_word_embeddings false', () => {
    const c = { dim: 8, hiddenDim: 12, nLayers: 1, nHeads: 2, nKvHeads: 2, vocabSize: 512, seqLen: 4, shared: false };
    const untied = convertLlama2c(syntheticCheckpoint(c), tokenizer);
    expect(untied.config.tie_word_embeddings).toBe(false);
    expect(untied.tensors.get('lm_head.weight')?.shape).toEqual([512, 8]);
    expect(untied.tensors.get('lm_head.weight')?.data).toEqual(
      readLlama2cCheckpoint(syntheticCheckpoint(c)).weights.wcls,
    );
    expect(untied.tensors.get('lm_head.weight')?.data).not.toEqual(
      untied.tensors.get('model.embed_tokens.weight')?.data,
    );
    expect(untied.tokenizerConfig.model_max_length).toBe(4);
  });

  it('rejects a tokenizer whose size differs from the checkpoint vocab_size', () => {
    const c = { dim: 8, hiddenDim: 12, nLayers: 1, nHeads: 2, nKvHeads: 2, vocabSize: 300, seqLen: 4, shared: true };
    const convert = () =>
      convertLlama2c(syntheticCheckpoint(c), tokenizer, { checkpointName: 'm.bin', tokenizerName: 't.bin' });
    expect(convert).toThrow(Llama2cFormatError);
    expect(convert).toThrow(/^t\.bin: has 512 tokens but m\.bin has vocab_size 300/);
  });
});
