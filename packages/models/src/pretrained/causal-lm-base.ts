import { Module, type Tensor } from '@rlhf/core';
import type { CausalLMOutput } from '../llama/llama-for-causal-lm.js';
import type { BackboneOutput, ForwardOptions } from '../llama/llama-model.js';
import type { Tokenizer } from '../tokenizer/tokenizer.js';
import type { CausalLM } from './causal-lm.js';
import { saveToDirectory } from './save-to-directory.js';

/**
 * What every causal language model of this package shares: the tokenizer and generation settings loaded
 * with it, `forward` = backbone then language-model head, and `save(dir)`. Subclasses supply the backbone
 * call and the head.
 *
 * @example
 * ```ts
 * const { logits } = model.forward(ids); // any CausalLMBase: (B, T) → (B, T, V)
 * ```
 */
export abstract class CausalLMBase extends Module {
  /** The tokenizer loaded with the model (from `tokenizer.json`), if any; trainers default to it. */
  tokenizer: Tokenizer | null = null;
  /** `generation_config.json` content. */
  generationConfig: Record<string, unknown> = {};

  /** The backbone: token ids (B, T) → final hidden states (B, T, D) and the key/value cache. */
  protected abstract backbone(inputIds: Tensor, options: ForwardOptions): BackboneOutput;

  /** The language-model head: hidden (..., D) → logits (..., V). */
  abstract logitsOf(hidden: Tensor): Tensor;

  /** Token ids (B, T) → logits (B, T, V), hidden states and the key/value cache. */
  forward(inputIds: Tensor, options: ForwardOptions = {}): CausalLMOutput {
    const out = this.backbone(inputIds, options);
    return { ...out, logits: this.logitsOf(out.hidden) };
  }

  /**
   * Writes the model as a Hugging Face directory (`config.json`, `model.safetensors`, tokenizer files) —
   * in Node; atomically (written aside, then renamed).
   */
  async save(dir: string): Promise<void> {
    // Every subclass is one of CausalLM's members (Llama, GPT-2).
    await saveToDirectory(this as unknown as CausalLM, dir);
  }
}
