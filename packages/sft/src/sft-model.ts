import type { Module, Tensor } from '@rlhf/core';
import type { Tokenizer } from '@rlhf/models';

/**
 * What `SFTTrainer` needs of a model: a module whose forward pass maps token ids (B, T) to logits
 * (B, T, V), accepting an attention mask and positions — every causal LM of `@rlhf/models`
 * (`LlamaForCausalLM`, `GPT2LMHeadModel`) is one. A `tokenizer` on the model is used when `huan_luyen` is
 * given none.
 *
 * @example
 * ```ts
 * const model: SFTModel = await loadModel('models/stories260K-hf'); // from @rlhf/models/node
 * ```
 */
export interface SFTModel extends Module {
  /** Token ids (B, T) → logits (B, T, V); `attentionMask` and `positions` as `@rlhf/models`' `ForwardOptions`. */
  forward(
    inputIds: Tensor,
    options?: {
      /** int32 (B, T) 1/0 mask, or (B, 1, T, T) per-query mask for packed sequences. */
      attentionMask?: Tensor;
      /** Host positions (B·T, row-major) for rotary embeddings. */
      positions?: ArrayLike<number>;
    },
  ): {
    /** Next-token logits (B, T, V). */
    logits: Tensor;
  };
  /** The model's configuration; only the vocabulary size is read. */
  readonly config: {
    /** Number of tokens V. */
    vocab_size: number;
  };
  /** The tokenizer loaded with the model, used when `huan_luyen` is given none. */
  tokenizer?: Tokenizer | null;
}
