import {
  type AdapterMerge,
  add,
  arange,
  attendWithCache,
  Embedding,
  gelu,
  type KeyValueCache,
  LayerNorm,
  type LinearAdapter,
  Module,
  ModuleList,
  matmul,
  mul,
  noGrad,
  permute,
  type Random,
  randomNormal,
  reshape,
  slice,
  Tensor,
  type TensorBackend,
  tensor,
  tidy,
  transpose,
  zeros,
} from '@rlhf/core';
import type { BackboneOutput, ForwardOptions } from '../llama/llama-model.js';
import { CausalLMBase } from '../pretrained/causal-lm-base.js';
import { cachedLength, decoderMask, runDecoderStack } from '../pretrained/decoder-stack.js';
import { type GPT2Config, validateGPT2Config } from './gpt2-config.js';

/**
 * GPT-2's `Conv1D`: a linear layer whose `weight` is stored (in, out) — `y = x·W + b` — to which an
 * additive adapter (LoRA, PEFT's `fan_in_fan_out: true` case) can be attached like on a `Linear`.
 * Shapes: (..., in) → (..., out).
 */
export class Conv1D extends Module {
  /** The weight matrix, stored (in, out). */
  readonly weight: Tensor;
  /** The bias (out). */
  readonly bias: Tensor;
  /** The attached adapter, if any. */
  adapter: LinearAdapter | null = null;

  /** Creates a GPT-2 `Conv1D` (a linear layer with the weight stored input-major) initialised from `rng`. */
  constructor(backend: TensorBackend, inFeatures: number, outFeatures: number, rng: Random, initStd = 0.02) {
    super(backend);
    this.weight = this.registerParameter('weight', randomNormal(backend, [inFeatures, outFeatures], rng, 0, initStd));
    this.bias = this.registerParameter('bias', zeros(backend, [outFeatures]));
  }

  /** Input width (rows of the stored weight). */
  get inFeatures(): number {
    return this.weight.shape[0] as number;
  }

  /** Output width (columns of the stored weight). */
  get outFeatures(): number {
    return this.weight.shape[1] as number;
  }

  /** Attaches an adapter (replacing any previous one), or removes it with `null`. */
  setAdapter(adapter: LinearAdapter | null): void {
    if (this.adapter) for (const name of Object.keys(this.adapter.modules)) this.unregisterModule(name);
    this.adapter = adapter;
    if (adapter) for (const [name, m] of Object.entries(adapter.modules)) this.registerModule(name, m);
  }

  /** With an adapter: its module names and `W + ΔWᵀ` (in, out), as ΔW is (out, in) (`W` alone while disabled). */
  override adapterMerge(): AdapterMerge | null {
    const adapter = this.adapter;
    if (!adapter) return null;
    return {
      adapterModules: Object.keys(adapter.modules),
      weight: () =>
        noGrad(() =>
          tidy(() => (adapter.enabled ? add(this.weight, transpose(adapter.delta())) : mul(this.weight, 1))),
        ),
    };
  }

  /** `x·W + b`, plus the adapter's output when one is attached and enabled: (..., in) → (..., out). */
  forward(x: Tensor): Tensor {
    const y = add(matmul(x, this.weight), this.bias); // (..., in)·(in, out) → (..., out)
    return this.adapter?.enabled ? add(y, this.adapter.forward(x)) : y;
  }
}

/** GPT-2 attention: fused `c_attn` (q, k, v) and `c_proj`, causal, learned positions (no rotary). */
export class GPT2Attention extends Module {
  /** The fused query, key and value projection D → 3D. */
  readonly c_attn: Conv1D;
  /** The output projection D → D. */
  readonly c_proj: Conv1D;

  /** Creates the fused QKV and output projections from `config`, initialised from `rng`. */
  constructor(
    backend: TensorBackend,
    /** The model's configuration. */
    readonly config: GPT2Config,
    rng: Random,
  ) {
    super(backend);
    const d = config.n_embd;
    const std = config.initializer_range ?? 0.02;
    this.c_attn = this.registerModule('c_attn', new Conv1D(backend, d, 3 * d, rng, std));
    this.c_proj = this.registerModule('c_proj', new Conv1D(backend, d, d, rng, std));
  }

  /**
   * Causal self-attention over the cached positions (if any) and the new ones, x (B, T, D) → (B, T, D).
   * Returns the output and the full keys and values (cache + new) for the next step's cache.
   */
  forward(
    x: Tensor,
    mask: Tensor,
    cache?: KeyValueCache,
  ): {
    /** The attention output, (B, T, D). */
    output: Tensor;
  } & KeyValueCache {
    const [b, t, d] = x.shape as [number, number, number];
    const h = this.config.n_head;
    const dh = d / h;
    const qkv = this.c_attn.forward(x); // (B, T, 3D)
    const part = (i: number) => permute(reshape(slice(qkv, [0, 0, i * d], [b, t, d]), [b, t, h, dh]), [0, 2, 1, 3]); // (B, H, T, Dh)
    const { attended, key, value } = attendWithCache(part(0), part(1), part(2), mask, cache);
    const merged = reshape(permute(attended, [0, 2, 1, 3]), [b, t, d]);
    return { output: this.c_proj.forward(merged), key, value };
  }
}

/** GPT-2's MLP: `c_proj(gelu(c_fc(x)))` with Conv1D layers. */
export class GPT2MLP extends Module {
  /** Expansion D → inner. */
  readonly c_fc: Conv1D;
  /** Projection inner → D. */
  readonly c_proj: Conv1D;

  /** Creates the two projections (`d` → `inner` → `d`), initialised from N(0, `std`²). */
  constructor(backend: TensorBackend, d: number, inner: number, rng: Random, std: number) {
    super(backend);
    this.c_fc = this.registerModule('c_fc', new Conv1D(backend, d, inner, rng, std));
    this.c_proj = this.registerModule('c_proj', new Conv1D(backend, inner, d, rng, std));
  }

  /** `c_proj(gelu(c_fc(x)))`: (..., D) → (..., D). */
  forward(x: Tensor): Tensor {
    return this.c_proj.forward(gelu(this.c_fc.forward(x)));
  }
}

/** One pre-LayerNorm GPT-2 block (Radford et al. 2019, §2.3). Shapes: (B, T, D) → (B, T, D). */
export class GPT2Block extends Module {
  /** LayerNorm before attention. */
  readonly ln_1: LayerNorm;
  /** The self-attention. */
  readonly attn: GPT2Attention;
  /** LayerNorm before the MLP. */
  readonly ln_2: LayerNorm;
  /** The feed-forward network. */
  readonly mlp: GPT2MLP;

  /** Creates one transformer block (norms, attention, MLP) from `config`, initialised from `rng`. */
  constructor(backend: TensorBackend, config: GPT2Config, rng: Random) {
    super(backend);
    const d = config.n_embd;
    const eps = config.layer_norm_epsilon ?? 1e-5;
    const std = config.initializer_range ?? 0.02;
    this.ln_1 = this.registerModule('ln_1', new LayerNorm(backend, d, eps));
    this.attn = this.registerModule('attn', new GPT2Attention(backend, config, rng));
    this.ln_2 = this.registerModule('ln_2', new LayerNorm(backend, d, eps));
    this.mlp = this.registerModule('mlp', new GPT2MLP(backend, d, config.n_inner ?? 4 * d, rng, std));
  }

  /** `h = x + attn(ln_1(x))`, then `h + mlp(ln_2(h))`; also returns the layer's keys and values. */
  forward(
    x: Tensor,
    mask: Tensor,
    cache?: KeyValueCache,
  ): {
    /** The block's output, (B, T, D). */
    hidden: Tensor;
  } & KeyValueCache {
    const a = this.attn.forward(this.ln_1.forward(x), mask, cache);
    const h = add(x, a.output);
    return { hidden: add(h, this.mlp.forward(this.ln_2.forward(h))), key: a.key, value: a.value };
  }
}

/** The GPT-2 backbone (`GPT2Model`, named `transformer` inside the LM). */
export class GPT2Model extends Module {
  /** Token embeddings (V, D); also the LM head (tied). */
  readonly wte: Embedding;
  /** Learned position embeddings (n_positions, D). */
  readonly wpe: Embedding;
  /** The blocks, `h.0` ... `h.{n_layer − 1}`. */
  readonly h: ModuleList<GPT2Block>;
  /** The final LayerNorm. */
  readonly ln_f: LayerNorm;

  /** Creates the embeddings, blocks and final norm from `config`, initialised from `rng`. */
  constructor(
    backend: TensorBackend,
    /** The model's configuration. */
    readonly config: GPT2Config,
    rng: Random,
  ) {
    super(backend);
    const std = config.initializer_range ?? 0.02;
    this.wte = this.registerModule('wte', new Embedding(backend, config.vocab_size, config.n_embd, rng, std));
    this.wpe = this.registerModule('wpe', new Embedding(backend, config.n_positions, config.n_embd, rng, 0.01));
    this.h = this.registerModule(
      'h',
      new ModuleList(
        backend,
        Array.from({ length: config.n_layer }, () => new GPT2Block(backend, config, rng)),
      ),
    );
    this.ln_f = this.registerModule('ln_f', new LayerNorm(backend, config.n_embd, config.layer_norm_epsilon ?? 1e-5));
  }

  /** Token ids (B, T) → final hidden states (B, T, D), with every layer's keys and values. */
  forward(
    inputIds: Tensor,
    options: ForwardOptions = {},
  ): {
    /** Hidden states after `ln_f`, (B, T, D). */
    hidden: Tensor;
    /** Per layer, the keys and values of every position so far (pass back as `options.cache`). */
    cache: KeyValueCache[];
  } {
    const [b, t] = inputIds.shape as [number, number];
    const past = cachedLength(options, t);
    const given = options.positions;
    const positions =
      given instanceof Tensor
        ? given
        : given
          ? tensor(this.backend, Int32Array.from(given), [b, t], 'int32')
          : reshape(arange(this.backend, past, past + t), [1, t]);
    const mask = decoderMask(this.backend, t, options);
    const x = add(this.wte.forward(inputIds), this.wpe.forward(positions)); // (B, T, D)
    const out = runDecoderStack(this.h.items, x, options.cache, (block, h, c) => block.forward(h, mask, c));
    return { hidden: this.ln_f.forward(out.hidden), cache: out.cache };
  }
}

/**
 * GPT-2 language model (`GPT2LMHeadModel`) with Hugging Face parameter names (`transformer.wte.weight`,
 * `transformer.h.{i}.attn.c_attn.weight`, ...); the head is tied to `wte`.
 *
 * @example
 * ```ts
 * const gpt2 = new GPT2LMHeadModel(backend, { vocab_size: 50257, n_positions: 1024, n_embd: 768, n_layer: 12, n_head: 12 }, rng);
 * const { logits } = gpt2.forward(ids);
 * ```
 */
export class GPT2LMHeadModel extends CausalLMBase {
  /** The backbone. */
  readonly transformer: GPT2Model;

  /** Creates a GPT-2 language model from `config` on `backend`, initialised from `rng` (the head tied to the embeddings); load weights with `loadModel` or `modelFromContent`. */
  constructor(
    backend: TensorBackend,
    /** The model's configuration (`config.json`). */
    readonly config: GPT2Config,
    rng: Random,
  ) {
    super(backend);
    validateGPT2Config(config);
    this.transformer = this.registerModule('transformer', new GPT2Model(backend, config, rng));
  }

  protected backbone(inputIds: Tensor, options: ForwardOptions): BackboneOutput {
    return this.transformer.forward(inputIds, options);
  }

  /** hidden (..., D) → logits (..., V) through the tied embedding. */
  logitsOf(hidden: Tensor): Tensor {
    return matmul(hidden, this.transformer.wte.weight, false, true);
  }
}
