import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJsBackend } from '@rlhf/backend-js';
import { Random, tensor, tidy } from '@rlhf/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LlamaForCausalLM } from '../llama/llama-for-causal-lm.js';
import { convertLlama2c } from '../llama2c/convert-llama2c.js';
import { loadModel, saveModel } from './load-model.js';
import { writeHfDirectory } from './write-hf-directory.js';

const data = fileURLToPath(new URL('../../../../data/models/stories260K/', import.meta.url));

/** Names and shapes PyTorch `transformers` expects for LlamaForCausalLM (d, hidden, layers, heads, kv, vocab). */
function llamaTable(
  d: number,
  f: number,
  layers: number,
  heads: number,
  kv: number,
  vocab: number,
  tied: boolean,
): Map<string, number[]> {
  const dh = d / heads;
  const t = new Map<string, number[]>([
    ['model.embed_tokens.weight', [vocab, d]],
    ['model.norm.weight', [d]],
  ]);
  for (let i = 0; i < layers; i++) {
    const p = `model.layers.${i}.`;
    t.set(`${p}input_layernorm.weight`, [d]);
    t.set(`${p}post_attention_layernorm.weight`, [d]);
    t.set(`${p}self_attn.q_proj.weight`, [heads * dh, d]);
    t.set(`${p}self_attn.k_proj.weight`, [kv * dh, d]);
    t.set(`${p}self_attn.v_proj.weight`, [kv * dh, d]);
    t.set(`${p}self_attn.o_proj.weight`, [d, heads * dh]);
    t.set(`${p}mlp.gate_proj.weight`, [f, d]);
    t.set(`${p}mlp.up_proj.weight`, [f, d]);
    t.set(`${p}mlp.down_proj.weight`, [d, f]);
  }
  if (!tied) t.set('lm_head.weight', [vocab, d]);
  return t;
}

describe('loadModel / save (Hugging Face directory)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = join(mkdtempSync(join(tmpdir(), 'rlhf-models-')), 'stories260K');
    await writeHfDirectory(
      dir,
      convertLlama2c(readFileSync(join(data, 'stories260K.bin')), readFileSync(join(data, 'tok512.bin'))),
    );
  });

  it('save → load → save gives byte-identical safetensors, and the same logits', async () => {
    const backend = createJsBackend();
    const model = await loadModel(dir, { backend });
    const out1 = join(dir, '..', 'saved-1');
    const out2 = join(dir, '..', 'saved-2');
    await model.save(out1);
    const again = await loadModel(out1, { backend });
    await saveModel(again, out2);
    const a = readFileSync(join(out1, 'model.safetensors'));
    expect(a.equals(readFileSync(join(out2, 'model.safetensors')))).toBe(true);
    expect(a.equals(readFileSync(join(dir, 'model.safetensors')))).toBe(true);
    const ids = tensor(backend, Int32Array.from([1, 403, 407, 261]), [1, 4], 'int32');
    const l1 = await tidy(() => model.forward(ids).logits).data();
    const l2 = await tidy(() => again.forward(ids).logits).data();
    expect(Array.from(l2)).toEqual(Array.from(l1));
    expect(again.tokenizer?.encode('Once upon a time')).toEqual([1, 403, 407, 261, 378]);
  });

  it('writes the tensor names and shapes transformers expects for LlamaForCausalLM', async () => {
    const backend = createJsBackend();
    const tied = new LlamaForCausalLM(
      backend,
      {
        vocab_size: 512,
        hidden_size: 64,
        intermediate_size: 172,
        num_hidden_layers: 5,
        num_attention_heads: 8,
        num_key_value_heads: 4,
        max_position_embeddings: 512,
        tie_word_embeddings: true,
      },
      new Random(0),
    );
    const untied = new LlamaForCausalLM(
      backend,
      {
        vocab_size: 100,
        hidden_size: 32,
        intermediate_size: 64,
        num_hidden_layers: 2,
        num_attention_heads: 4,
        max_position_embeddings: 64,
      },
      new Random(0),
    );
    for (const [model, table] of [
      [tied, llamaTable(64, 172, 5, 8, 4, 512, true)],
      [untied, llamaTable(32, 64, 2, 4, 4, 100, false)],
    ] as const) {
      const out = join(dir, '..', `table-${model.parameterCount()}`);
      await model.save(out);
      const loaded = await loadModel(out, { backend });
      const names = new Map([...loaded.namedParameters()].map(([n, p]) => [n, [...p.shape]]));
      expect(names).toEqual(table);
      const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
      expect(config.architectures).toEqual(['LlamaForCausalLM']);
    }
    // stories260K: 260,032 trainable parameters (embedding counted once); llama2.c's 264,128 also counts
    // its 4,096 precomputed rotary tables (freq_cis_real/imag, 512 × 4 each), which are not parameters.
    expect(tied.parameterCount()).toBe(260_032);
  });

  it('bad directories give typed errors naming the file and the problem', async () => {
    const backend = createJsBackend();
    const root = mkdtempSync(join(tmpdir(), 'rlhf-bad-'));
    await expect(loadModel(root, { backend })).rejects.toThrow(/config\.json/);
    const bad = join(root, 'bad');
    await writeHfDirectory(
      bad,
      convertLlama2c(readFileSync(join(data, 'stories260K.bin')), readFileSync(join(data, 'tok512.bin'))),
    );
    const weights = readFileSync(join(bad, 'model.safetensors'));
    writeFileSync(join(bad, 'model.safetensors'), weights.subarray(0, weights.length - 100));
    await expect(loadModel(bad, { backend })).rejects.toThrow(/model\.safetensors/);
    writeFileSync(join(bad, 'model.safetensors'), weights);
    const config = JSON.parse(readFileSync(join(bad, 'config.json'), 'utf8'));
    writeFileSync(join(bad, 'config.json'), JSON.stringify({ ...config, intermediate_size: 100 }));
    await expect(loadModel(bad, { backend })).rejects.toThrow(
      /model\.safetensors: tensor 'model\.layers\.0\.mlp\.gate_proj\.weight' has shape \[172, 64\] but the config implies \[100, 64\]/,
    );
    writeFileSync(join(bad, 'config.json'), JSON.stringify({ ...config, num_attention_heads: 7 }));
    await expect(loadModel(bad, { backend })).rejects.toThrow(/num_key_value_heads|head_dim/);
  });
});
