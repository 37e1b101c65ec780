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
  forward(inputIds: Tensor, options?: { attentionMask?: Tensor; positions?: ArrayLike<number> }): { logits: Tensor };
  readonly config: { vocab_size: number };
  tokenizer?: Tokenizer | null;
}
