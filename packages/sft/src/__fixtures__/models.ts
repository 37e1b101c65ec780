import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createJsBackend } from '@rlhf/backend-js';
import { Random, type TensorBackend } from '@rlhf/core';
import { type CausalLM, convertLlama2c, LlamaForCausalLM, modelFromContent, Tokenizer } from '@rlhf/models';

/** The repository's bundled data directory. */
export const DATA_DIR = fileURLToPath(new URL('../../../../data/', import.meta.url));

/** The Phi-3-mini tokenizer (32k sentencepiece BPE with a chat template). */
export function phi3Tokenizer(): Tokenizer {
  const dir = `${DATA_DIR}tokenizers/phi-3-mini/`;
  return Tokenizer.fromJSON(
    JSON.parse(readFileSync(`${dir}tokenizer.json`, 'utf8')),
    JSON.parse(readFileSync(`${dir}tokenizer_config.json`, 'utf8')),
  );
}

/** stories260K converted from llama2.c (Hugging Face Llama, 512-token vocabulary, tokenizer attached). */
export function stories260K(backend: TensorBackend = createJsBackend()): CausalLM {
  const dir = `${DATA_DIR}models/stories260K/`;
  return modelFromContent(
    convertLlama2c(readFileSync(`${dir}stories260K.bin`), readFileSync(`${dir}tok512.bin`)),
    backend,
  );
}

/** A tiny randomly initialised Llama (vocabulary 64 unless given, 2 layers, d = 16). */
export function tinyLlama(seed = 0, backend: TensorBackend = createJsBackend(), vocabSize = 64): LlamaForCausalLM {
  return new LlamaForCausalLM(
    backend,
    {
      model_type: 'llama',
      vocab_size: vocabSize,
      hidden_size: 16,
      intermediate_size: 32,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      max_position_embeddings: 64,
      rms_norm_eps: 1e-5,
      rope_theta: 10000,
      tie_word_embeddings: false,
    },
    new Random(seed),
  );
}

/** Every parameter value, flattened in name order. */
export async function flatWeights(model: CausalLM): Promise<Float32Array> {
  const parts = [...(await model.stateDict()).values()].map((t) => t.data);
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
