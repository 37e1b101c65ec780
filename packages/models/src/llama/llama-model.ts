import {
  add,
  CausalSelfAttention,
  Embedding,
  type KeyValueCache,
  Module,
  ModuleList,
  type Random,
  RMSNorm,
  type RotaryTables,
  rotaryTables,
  rotaryTablesAt,
  SwiGLUMLP,
  Tensor,
  type TensorBackend,
} from '@rlhf/core';
import { cachedLength, decoderMask, runDecoderStack } from '../pretrained/decoder-stack.js';
import { type LlamaConfig, validateLlamaConfig } from './llama-config.js';

/**
 * One pre-norm Llama block (Touvron et al. 2023, §2.2): `h = x + attn(norm₁(x))`, `y = h + mlp(norm₂(h))`.
 * Shapes: (B, T, D) → (B, T, D).
 */
export class LlamaDecoderLayer extends Module {
  /** RMSNorm before attention. */
  readonly input_layernorm: RMSNorm;
  /** Rotary grouped-query self-attention. */
  readonly self_attn: CausalSelfAttention;
  /** RMSNorm before the MLP. */
  readonly post_attention_layernorm: RMSNorm;
  /** The SwiGLU feed-forward network. */
  readonly mlp: SwiGLUMLP;

  /** Creates one decoder layer (norms, attention, MLP) from `config`, initialised from `rng`. */
  constructor(backend: TensorBackend, config: LlamaConfig, rng: Random) {
    super(backend);
    const eps = config.rms_norm_eps ?? 1e-6;
    const initStd = config.initializer_range ?? 0.02;
    this.input_layernorm = this.registerModule('input_layernorm', new RMSNorm(backend, config.hidden_size, eps));
    this.self_attn = this.registerModule(
      'self_attn',
      new CausalSelfAttention(
        backend,
        {
          hiddenSize: config.hidden_size,
          numHeads: config.num_attention_heads,
          numKeyValueHeads: config.num_key_value_heads ?? config.num_attention_heads,
          ...(config.head_dim === undefined ? {} : { headDim: config.head_dim }),
          qkvBias: config.attention_bias ?? false,
          initStd,
        },
        rng,
      ),
    );
    this.post_attention_layernorm = this.registerModule(
      'post_attention_layernorm',
      new RMSNorm(backend, config.hidden_size, eps),
    );
    this.mlp = this.registerModule(
      'mlp',
      new SwiGLUMLP(backend, config.hidden_size, config.intermediate_size, rng, false, initStd),
    );
  }

  /** Runs the block; also returns the layer's full keys and values (cache + new) for the next step. */
  forward(
    x: Tensor,
    rope: RotaryTables,
    mask: Tensor,
    cache?: KeyValueCache,
  ): {
    /** The block's output, (B, T, D). */
    hidden: Tensor;
  } & KeyValueCache {
    const attn = this.self_attn.forward(this.input_layernorm.forward(x), rope, mask, cache);
    const h = add(x, attn.output);
    return {
      hidden: add(h, this.mlp.forward(this.post_attention_layernorm.forward(h))),
      key: attn.key,
      value: attn.value,
    };
  }
}

/** Options of a forward pass. */
export interface ForwardOptions {
  /** int32 (B, P + T): 1 for real tokens, 0 for padding (P = cached positions); or (B, 1, T, P + T): which keys each query may see (block-diagonal for packed sequences). */
  attentionMask?: Tensor;
  /**
   * Positions (B·T, row-major on the host, or an int32 (B, T) tensor, each below the context length) for
   * rotary or learned position embeddings. @defaultValue P, P+1, ... for every row
   */
  positions?: ArrayLike<number> | Tensor;
  /** Per-layer keys/values of earlier positions (from a previous call's `cache`). */
  cache?: readonly KeyValueCache[];
}

/** Hidden states and the updated per-layer cache. */
export interface BackboneOutput {
  /** Final normalised hidden states (B, T, D). */
  hidden: Tensor;
  /** Per-layer keys/values including this call's positions. */
  cache: KeyValueCache[];
}

/** The Llama backbone (`LlamaModel`): embeddings, blocks, final RMSNorm. */
export class LlamaModel extends Module {
  /** Token embeddings (V, D); also the LM head when `tie_word_embeddings`. */
  readonly embed_tokens: Embedding;
  /** The decoder layers, `layers.0` ... `layers.{num_hidden_layers − 1}`. */
  readonly layers: ModuleList<LlamaDecoderLayer>;
  /** The final RMSNorm. */
  readonly norm: RMSNorm;
  /** Size of one attention head (`head_dim`, or hidden_size / num_attention_heads). */
  readonly headDim: number;

  /** Creates the embeddings, decoder layers and final norm from `config`, initialised from `rng`. */
  constructor(
    backend: TensorBackend,
    /** The model's configuration. */
    readonly config: LlamaConfig,
    rng: Random,
  ) {
    super(backend);
    const initStd = config.initializer_range ?? 0.02;
    this.headDim = config.head_dim ?? config.hidden_size / config.num_attention_heads;
    this.embed_tokens = this.registerModule(
      'embed_tokens',
      new Embedding(backend, config.vocab_size, config.hidden_size, rng, initStd),
    );
    this.layers = this.registerModule(
      'layers',
      new ModuleList(
        backend,
        Array.from({ length: config.num_hidden_layers }, () => new LlamaDecoderLayer(backend, config, rng)),
      ),
    );
    this.norm = this.registerModule('norm', new RMSNorm(backend, config.hidden_size, config.rms_norm_eps ?? 1e-6));
  }

  /** inputIds int32 (B, T) → hidden (B, T, D). */
  forward(inputIds: Tensor, options: ForwardOptions = {}): BackboneOutput {
    const [b, t] = inputIds.shape as [number, number];
    const theta = this.config.rope_theta ?? 10000;
    const rope =
      options.positions instanceof Tensor
        ? rotaryTablesAt(options.positions, this.config.max_position_embeddings, this.headDim, theta)
        : rotaryTables(
            this.backend,
            options.positions ?? defaultPositions(b, t, cachedLength(options, t)),
            b,
            t,
            this.headDim,
            theta,
          );
    const mask = decoderMask(this.backend, t, options);
    const out = runDecoderStack(this.layers.items, this.embed_tokens.forward(inputIds), options.cache, (layer, h, c) =>
      layer.forward(h, rope, mask, c),
    );
    return { hidden: this.norm.forward(out.hidden), cache: out.cache };
  }
}

function defaultPositions(batch: number, seqLen: number, past: number): Int32Array {
  const p = new Int32Array(batch * seqLen);
  for (let r = 0; r < batch; r++) for (let i = 0; i < seqLen; i++) p[r * seqLen + i] = past + i;
  return p;
}

export { validateLlamaConfig };
