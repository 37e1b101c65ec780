import type { Module, Tensor } from '@rlhf/core';
import type { Tokenizer } from '@rlhf/models';

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
  forward(inputIds: Tensor): { logits: Tensor };
  readonly config: { vocab_size: number; model_type?: string };
  tokenizer?: Tokenizer | null;
}
