import { Linear, matmul, type Random, type Tensor, type TensorBackend } from '@rlhf/core';
import { CausalLMBase } from '../pretrained/causal-lm-base.js';
import type { LlamaConfig } from './llama-config.js';
import { validateLlamaConfig } from './llama-config.js';
import { type BackboneOutput, type ForwardOptions, LlamaModel } from './llama-model.js';

/** Logits, final hidden states and the updated cache. */
export interface CausalLMOutput extends BackboneOutput {
  /** (B, T, V) next-token logits. */
  logits: Tensor;
}

/**
 * A Llama causal language model (`LlamaForCausalLM`) with Hugging Face parameter names
 * (`model.embed_tokens.weight`, `model.layers.{i}.self_attn.q_proj.weight`, ..., `lm_head.weight` unless
 * `tie_word_embeddings`). Rotary embeddings use Hugging Face's rotate-half layout.
 *
 * @example
 * ```ts
 * const model = new LlamaForCausalLM(backend, config, new Random(0));
 * const { logits } = model.forward(ids); // (B, T) → (B, T, V)
 * ```
 */
export class LlamaForCausalLM extends CausalLMBase {
  /** The backbone (embeddings, decoder layers, final norm). */
  readonly model: LlamaModel;
  /** The output projection D → V, or `null` when tied to the embeddings (`tie_word_embeddings`). */
  readonly lm_head: Linear | null;
  /** The validated configuration (`config.json`). */
  readonly config: LlamaConfig;

  /** Creates a Llama language model from `config` on `backend`, initialised from `rng`; load weights with `loadModel` or `modelFromContent`. */
  constructor(backend: TensorBackend, config: LlamaConfig, rng: Random) {
    super(backend);
    this.config = validateLlamaConfig(config);
    this.model = this.registerModule('model', new LlamaModel(backend, config, rng));
    this.lm_head = config.tie_word_embeddings
      ? null
      : this.registerModule(
          'lm_head',
          new Linear(
            backend,
            {
              inFeatures: config.hidden_size,
              outFeatures: config.vocab_size,
              bias: false,
              initStd: config.initializer_range ?? 0.02,
            },
            rng,
          ),
        );
  }

  protected backbone(inputIds: Tensor, options: ForwardOptions): BackboneOutput {
    return this.model.forward(inputIds, options);
  }

  /** The language-model head: hidden (..., D) → logits (..., V) (tied: `h · E ᵀ`). */
  logitsOf(hidden: Tensor): Tensor {
    return this.lm_head ? this.lm_head.forward(hidden) : matmul(hidden, this.model.embed_tokens.weight, false, true);
  }
}
