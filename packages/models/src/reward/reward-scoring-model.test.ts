import { createJsBackend } from '@rlhf/backend-js';
import { Random } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { LlamaForCausalLM } from '../llama/llama-for-causal-lm.js';
import { createRewardModel, padRight } from './reward-scoring-model.js';

const config = {
  vocab_size: 50,
  hidden_size: 32,
  intermediate_size: 64,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  max_position_embeddings: 64,
  rms_norm_eps: 1e-5,
  tie_word_embeddings: true,
};

describe('createRewardModel', () => {
  const backend = createJsBackend();
  const lm = new LlamaForCausalLM(backend, config, new Random(1));
  const rm = createRewardModel(lm, new Random(2));

  it('has Hugging Face ...ForSequenceClassification names: the backbone under model.*, score.weight (1, D)', () => {
    const names = new Map([...rm.namedParameters()].map(([n, p]) => [n, p.shape]));
    expect(names.get('score.weight')).toEqual([1, 32]);
    expect(names.get('model.embed_tokens.weight')).toEqual([50, 32]);
    expect(names.has('lm_head.weight')).toBe(false);
    expect(rm.hfConfig()).toMatchObject({ architectures: ['LlamaForSequenceClassification'], num_labels: 1 });
  });

  it('carries the LM’s tokenizer (null when the LM has none)', () => {
    expect(rm.tokenizer).toBeNull();
    const marker = { marker: true } as unknown as NonNullable<typeof lm.tokenizer>;
    lm.tokenizer = marker;
    expect(createRewardModel(lm, new Random(3)).tokenizer).toBe(marker);
    lm.tokenizer = null;
  });

  it('copies the backbone: its parameters are not the LM’s tensors', () => {
    const lmEmbed = lm.model.embed_tokens.weight;
    const rmEmbed = [...rm.namedParameters()].find(([n]) => n === 'model.embed_tokens.weight')?.[1];
    expect(rmEmbed).not.toBe(lmEmbed);
    expect(Array.from(rmEmbed?.dataSync() ?? [])).toEqual(Array.from(lmEmbed.dataSync()));
  });

  it('scores are invariant to batch composition and padding (to 1e-6)', async () => {
    const texts = [
      [1, 5, 9, 3],
      [1, 7, 7, 7, 7, 7, 7, 2],
      [1, 40],
    ];
    const together = (await rm.scoreBatch(padRight(backend, texts, 0)).data()) as Float32Array;
    for (let i = 0; i < texts.length; i++) {
      const alone = (await rm.scoreBatch(padRight(backend, [texts[i] as number[]], 0)).data()) as Float32Array;
      expect(Math.abs((alone[0] as number) - (together[i] as number))).toBeLessThan(1e-6);
    }
    const padded = (await rm
      .scoreBatch(padRight(backend, [texts[0] as number[], new Array(20).fill(3)], 0))
      .data()) as Float32Array;
    expect(Math.abs((padded[0] as number) - (together[0] as number))).toBeLessThan(1e-6);
    expect(new Set(Array.from(together)).size).toBe(3);
  });
});
