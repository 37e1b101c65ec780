import type { DPOModel } from '@rlhf/dpo';

/**
 * What `ORPOTrainer` and `CPOTrainer` train: a causal LM whose forward pass maps token ids (B, T) to logits
 * (B, T, V), with its Hugging Face config (`vocab_size`) and, optionally, its tokenizer — the same shape
 * `DPOTrainer` takes (every causal LM of `@rlhf/models` is one). No reference model is ever built from it.
 *
 * @example
 * ```ts
 * const model: PolicyModel = await loadModel('models/stories260K');
 * ```
 */
export type PolicyModel = DPOModel;
