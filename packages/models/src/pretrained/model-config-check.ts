import { ModelConfigError } from '../errors/model-config-error.js';
import { WeightsMismatchError } from './weights.js';

/**
 * Checks of a `config.json` made before anything is allocated: every size key is a positive safe integer
 * within a sane bound, the sizes agree with each other, the numeric hyper-parameters are finite and
 * positive, the special-token ids fall inside the vocabulary, and — the decisive check — every tensor the
 * config implies exists in the weights file with exactly the shape the config implies (so the parameter
 * bytes the config implies equal what the file declares). A config that a weights file cannot back
 * (`hidden_size` 1e9, `vocab_size` 2^40, a 4096-wide config with a 1 MB file) is a typed error naming
 * the key and the files, never a `RangeError` or a multi-GB allocation.
 */

/** The largest value accepted for each size key (far above any published model of these families). */
export const CONFIG_SIZE_BOUNDS: Readonly<Record<string, number>> = Object.freeze({
  vocab_size: 1 << 22,
  hidden_size: 1 << 16,
  n_embd: 1 << 16,
  intermediate_size: 1 << 18,
  n_inner: 1 << 18,
  num_hidden_layers: 1024,
  n_layer: 1024,
  num_attention_heads: 1024,
  n_head: 1024,
  num_key_value_heads: 1024,
  head_dim: 4096,
  max_position_embeddings: 1 << 24,
  n_positions: 1 << 24,
});

const LLAMA_SIZES = [
  'vocab_size',
  'hidden_size',
  'intermediate_size',
  'num_hidden_layers',
  'num_attention_heads',
  'max_position_embeddings',
] as const;
const GPT2_SIZES = ['vocab_size', 'n_positions', 'n_embd', 'n_layer', 'n_head'] as const;

/** A parsed `config.json`. */
export type Config = Record<string, unknown>;

function sizeOf(config: Config, key: string, file: string, optional = false): number | undefined {
  const v = config[key];
  if (v === undefined || (optional && v === null)) {
    if (optional) return undefined;
    throw new ModelConfigError(key, 'is missing (a positive integer is required)', file);
  }
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
    throw new ModelConfigError(key, `must be a positive integer (got ${JSON.stringify(v) ?? String(v)})`, file);
  }
  const bound = CONFIG_SIZE_BOUNDS[key];
  if (bound !== undefined && v > bound) {
    throw new ModelConfigError(key, `= ${v} is larger than the bound ${bound} this library accepts`, file);
  }
  return v;
}

function positiveFinite(config: Config, key: string, file: string): void {
  const v = config[key];
  if (v === undefined || v === null) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new ModelConfigError(key, `must be a finite number > 0 (got ${JSON.stringify(v) ?? String(v)})`, file);
  }
}

function booleanKey(config: Config, key: string, file: string): void {
  const v = config[key];
  if (v !== undefined && v !== null && typeof v !== 'boolean') {
    throw new ModelConfigError(key, `must be true or false (got ${JSON.stringify(v)})`, file);
  }
}

/** `model_type`, as `createCausalLM` reads it. */
function familyOf(config: Config): 'gpt2' | 'llama' {
  return config.model_type === 'gpt2' ? 'gpt2' : 'llama';
}

/**
 * Checks the keys of a `config.json` one by one and together (see the module comment) and throws
 * {@link ModelConfigError} naming the key and `file`.
 *
 * @example
 * ```ts
 * checkModelConfig({ model_type: 'llama', hidden_size: 1e9 }, 'models/x/config.json'); // throws: 'hidden_size'
 * ```
 */
export function checkModelConfig(config: Config, file = 'config.json'): void {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ModelConfigError('(root)', 'must be a JSON object', file);
  }
  if (config.model_type !== undefined && typeof config.model_type !== 'string') {
    throw new ModelConfigError('model_type', `must be a string (got ${JSON.stringify(config.model_type)})`, file);
  }
  if (familyOf(config) === 'gpt2') {
    for (const key of GPT2_SIZES) sizeOf(config, key, file);
    sizeOf(config, 'n_inner', file, true);
    const d = config.n_embd as number;
    const h = config.n_head as number;
    if (d % h !== 0) throw new ModelConfigError('n_head', `(${h}) must divide n_embd (${d})`, file);
    positiveFinite(config, 'layer_norm_epsilon', file);
  } else {
    for (const key of LLAMA_SIZES) sizeOf(config, key, file);
    const heads = config.num_attention_heads as number;
    const kv = sizeOf(config, 'num_key_value_heads', file, true) ?? heads;
    const headDim = sizeOf(config, 'head_dim', file, true);
    if (heads % kv !== 0) {
      throw new ModelConfigError('num_key_value_heads', `(${kv}) must divide num_attention_heads (${heads})`, file);
    }
    const d = config.hidden_size as number;
    if (headDim === undefined && d % heads !== 0) {
      throw new ModelConfigError('num_attention_heads', `(${heads}) must divide hidden_size (${d})`, file);
    }
    positiveFinite(config, 'rms_norm_eps', file);
    positiveFinite(config, 'rope_theta', file);
    booleanKey(config, 'tie_word_embeddings', file);
    booleanKey(config, 'attention_bias', file);
    // Keys that would change the computation but that this implementation does not apply: refused rather
    // than silently ignored.
    if (config.mlp_bias === true) throw new ModelConfigError('mlp_bias', 'true is not supported (no MLP biases)', file);
    if (config.rope_scaling !== undefined && config.rope_scaling !== null) {
      throw new ModelConfigError(
        'rope_scaling',
        `= ${JSON.stringify(config.rope_scaling)} is not supported (only unscaled rotary embeddings)`,
        file,
      );
    }
  }
  const init = config.initializer_range;
  if (init !== undefined && init !== null && (typeof init !== 'number' || !Number.isFinite(init) || init < 0)) {
    throw new ModelConfigError('initializer_range', `must be a finite number ≥ 0 (got ${JSON.stringify(init)})`, file);
  }
  checkSpecialTokenIds(config, config.vocab_size as number, file);
}

/**
 * Checks `bos_token_id`, `eos_token_id` (a number or a list), `pad_token_id` and
 * `decoder_start_token_id` of a `config.json` or `generation_config.json`: each `null`/absent, or an
 * integer in `0..vocabSize-1`. Throws {@link ModelConfigError} naming the key and `file`.
 *
 * @example
 * ```ts
 * checkSpecialTokenIds({ eos_token_id: 70000 }, 32000, 'generation_config.json'); // throws: 'eos_token_id'
 * ```
 */
export function checkSpecialTokenIds(config: Config, vocabSize: number, file: string): void {
  for (const key of ['bos_token_id', 'eos_token_id', 'pad_token_id', 'decoder_start_token_id']) {
    const v = config[key];
    if (v === undefined || v === null) continue;
    const ids = Array.isArray(v) && key === 'eos_token_id' ? v : [v];
    for (const id of ids) {
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= vocabSize) {
        throw new ModelConfigError(
          key,
          `= ${JSON.stringify(v)} is not a token id of the vocabulary (integers 0..${vocabSize - 1}, vocab_size ${vocabSize})`,
          file,
        );
      }
    }
  }
}

/** One dimension of an implied tensor shape and the config key(s) it comes from. */
/** One dimension of an implied tensor: its size and the config key it comes from. */
export type Dim = readonly [size: number, key: string];

/**
 * Every parameter tensor a (checked) config implies, by Hugging Face name, with each dimension's source
 * key. Mirrors the modules: `LlamaForCausalLM` (`model.embed_tokens` [V, D]; per layer RMSNorms [D],
 * q_proj [H·hd, D], k_proj / v_proj [KV·hd, D] (+ biases [H·hd] / [KV·hd] with `attention_bias`),
 * o_proj [D, H·hd], gate_proj / up_proj [F, D], down_proj [D, F]; `model.norm` [D]; `lm_head` [V, D]
 * unless tied) and `GPT2LMHeadModel` (`transformer.wte` [V, D], `wpe` [P, D]; per block ln_1 / ln_2
 * weight and bias [D], Conv1D `c_attn` [D, 3D] + [3D], `attn.c_proj` [D, D] + [D], `c_fc` [D, I] + [I],
 * `mlp.c_proj` [I, D] + [D]; `ln_f` [D] ×2; head tied to wte).
 *
 * @example
 * ```ts
 * impliedTensors(config).get('model.embed_tokens.weight'); // [[512, 'vocab_size'], [64, 'hidden_size']]
 * ```
 */
export function impliedTensors(config: Config): Map<string, Dim[]> {
  const t = new Map<string, Dim[]>();
  if (familyOf(config) === 'gpt2') {
    const V: Dim = [config.vocab_size as number, 'vocab_size'];
    const P: Dim = [config.n_positions as number, 'n_positions'];
    const D: Dim = [config.n_embd as number, 'n_embd'];
    const D3: Dim = [3 * D[0], 'n_embd'];
    const inner = (config.n_inner as number | null | undefined) ?? 4 * D[0];
    const I: Dim = [inner, config.n_inner ? 'n_inner' : 'n_embd'];
    t.set('transformer.wte.weight', [V, D]);
    t.set('transformer.wpe.weight', [P, D]);
    for (let i = 0; i < (config.n_layer as number); i++) {
      const p = `transformer.h.${i}.`;
      t.set(`${p}ln_1.weight`, [D]);
      t.set(`${p}ln_1.bias`, [D]);
      t.set(`${p}attn.c_attn.weight`, [D, D3]);
      t.set(`${p}attn.c_attn.bias`, [D3]);
      t.set(`${p}attn.c_proj.weight`, [D, D]);
      t.set(`${p}attn.c_proj.bias`, [D]);
      t.set(`${p}ln_2.weight`, [D]);
      t.set(`${p}ln_2.bias`, [D]);
      t.set(`${p}mlp.c_fc.weight`, [D, I]);
      t.set(`${p}mlp.c_fc.bias`, [I]);
      t.set(`${p}mlp.c_proj.weight`, [I, D]);
      t.set(`${p}mlp.c_proj.bias`, [D]);
    }
    t.set('transformer.ln_f.weight', [D]);
    t.set('transformer.ln_f.bias', [D]);
    return t;
  }
  const V: Dim = [config.vocab_size as number, 'vocab_size'];
  const D: Dim = [config.hidden_size as number, 'hidden_size'];
  const F: Dim = [config.intermediate_size as number, 'intermediate_size'];
  const heads = config.num_attention_heads as number;
  const kv = (config.num_key_value_heads as number | undefined) ?? heads;
  const hd = (config.head_dim as number | undefined) ?? D[0] / heads;
  const Q: Dim = [heads * hd, config.head_dim === undefined ? 'hidden_size' : 'head_dim'];
  const KV: Dim = [kv * hd, config.num_key_value_heads === undefined ? Q[1] : 'num_key_value_heads'];
  const bias = config.attention_bias === true || (config.model_type === 'qwen2' && config.attention_bias === undefined);
  t.set('model.embed_tokens.weight', [V, D]);
  for (let i = 0; i < (config.num_hidden_layers as number); i++) {
    const p = `model.layers.${i}.`;
    t.set(`${p}input_layernorm.weight`, [D]);
    t.set(`${p}self_attn.q_proj.weight`, [Q, D]);
    t.set(`${p}self_attn.k_proj.weight`, [KV, D]);
    t.set(`${p}self_attn.v_proj.weight`, [KV, D]);
    if (bias) {
      t.set(`${p}self_attn.q_proj.bias`, [Q]);
      t.set(`${p}self_attn.k_proj.bias`, [KV]);
      t.set(`${p}self_attn.v_proj.bias`, [KV]);
    }
    t.set(`${p}self_attn.o_proj.weight`, [D, Q]);
    t.set(`${p}post_attention_layernorm.weight`, [D]);
    t.set(`${p}mlp.gate_proj.weight`, [F, D]);
    t.set(`${p}mlp.up_proj.weight`, [F, D]);
    t.set(`${p}mlp.down_proj.weight`, [D, F]);
  }
  t.set('model.norm.weight', [D]);
  if (config.tie_word_embeddings !== true) t.set('lm_head.weight', [V, D]);
  return t;
}

/** Checkpoint tensors that are buffers, not parameters, in some Hugging Face exports. */
const BUFFERS = [/\.attn\.(masked_)?bias$/, /\.rotary_emb\.inv_freq$/];

/**
 * Compares the tensors a config implies with the shapes a weights file declares (read from its header,
 * before any tensor is decoded or any model allocated). Names are normalised as the loader does (GPT-2
 * files without the `transformer.` prefix, buffers, a tied `lm_head.weight` saved anyway). Throws:
 * a {@link WeightsMismatchError} naming the file, the tensor, both shapes and the config key of the first
 * dimension that differs; or one for a tensor missing from, or unexpected in, the file.
 *
 * @example
 * ```ts
 * checkConfigAgainstWeights(config, header.entries, { config: 'm/config.json', weights: 'm/model.safetensors' });
 * ```
 */
export function checkConfigAgainstWeights(
  config: Config,
  declared: Iterable<{ name: string; shape: readonly number[] }>,
  files: { config: string; weights: string },
): void {
  const implied = impliedTensors(config);
  const list = [...declared];
  // A reward model (`*ForSequenceClassification`): the backbone without the LM head, plus `score` [1, D].
  if (list.some((t) => t.name === 'score.weight')) {
    implied.delete('lm_head.weight');
    const d = (config.model_type === 'gpt2' ? config.n_embd : config.hidden_size) as number;
    implied.set('score.weight', [
      [1, 'num_labels'],
      [d, config.model_type === 'gpt2' ? 'n_embd' : 'hidden_size'],
    ]);
  }
  const present = new Map<string, readonly number[]>();
  for (const { name: raw, shape } of list) {
    if (BUFFERS.some((re) => re.test(raw))) continue;
    const name = !implied.has(raw) && implied.has(`transformer.${raw}`) ? `transformer.${raw}` : raw;
    if (name === 'lm_head.weight' && !implied.has(name)) continue;
    present.set(name, shape);
  }
  for (const [name, dims] of implied) {
    const shape = present.get(name);
    if (!shape) {
      const layer = /^(?:model\.layers|transformer\.h)\.(\d+)\./.exec(name);
      const key = config.model_type === 'gpt2' ? 'n_layer' : 'num_hidden_layers';
      throw new WeightsMismatchError(
        files.weights,
        name,
        layer
          ? `is missing (${files.config}: '${key}' = ${config[key]} implies layer ${layer[1]})`
          : `is missing (${files.config} implies it)`,
      );
    }
    const mismatch = dims.findIndex(([size], i) => shape[i] !== size);
    if (shape.length !== dims.length || mismatch >= 0) {
      const [size, key] = dims[mismatch >= 0 ? mismatch : 0] as Dim;
      throw new WeightsMismatchError(
        files.weights,
        name,
        `has shape [${shape.join(', ')}] but the config implies [${dims.map(([s]) => s).join(', ')}] (${files.config}: '${key}' = ${size} does not fit the weights)`,
      );
    }
  }
  for (const name of present.keys()) {
    if (!implied.has(name)) {
      throw new WeightsMismatchError(
        files.weights,
        name,
        `is not a parameter of the model ${files.config} describes (config and weights disagree)`,
      );
    }
  }
}
