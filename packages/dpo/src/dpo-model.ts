import type { Module, Tensor } from '@rlhf/core';
import type { CausalLMOutput, Tokenizer } from '@rlhf/models';

/** The part of a Hugging Face `config.json` the trainer reads. */
export interface DPOModelConfig {
  /** Size of the vocabulary (logits' last axis). */
  vocab_size: number;
  /** Architecture (`llama`, `gpt2`, ...), to build a frozen copy. */
  model_type?: string;
}

/**
 * What `DPOTrainer` needs of a policy or reference model: a module whose forward pass maps token ids
 * (B, T) to logits (B, T, V), with its Hugging Face config (for `vocab_size`, and to build a frozen copy)
 * — every causal LM of `@rlhf/models` (`LlamaForCausalLM`, `GPT2LMHeadModel`) is one. A `tokenizer` on the
 * model is used when `huan_luyen` is given none.
 *
 * @example
 * ```ts
 * const model: DPOModel = modelFromContent(convertLlama2c(checkpoint, tokenizerBin), backend);
 * ```
 */
export interface DPOModel extends Module {
  /** Token ids int32 (B, T) → next-token logits (B, T, V). */
  forward(inputIds: Tensor): Pick<CausalLMOutput, 'logits'>;
  /** The Hugging Face config (`config.json`): `vocab_size` is checked against the tokenizer and data. */
  readonly config: DPOModelConfig;
  /** The model's own tokenizer, used when `huan_luyen` is given none. */
  tokenizer?: Tokenizer | null;
}
