import type { Module } from '../nn/module.js';
import type { ParamGroup } from './adamw.js';

/**
 * Splits a module's trainable parameters into a decayed group (matrices, embeddings) and an undecayed one
 * (biases and norm weights: every parameter of rank < 2), as Hugging Face's Trainer and nanoGPT do.
 *
 * @example
 * ```ts
 * const opt = new AdamW(decayGroups(model, 0.01), { lr: 2e-5 });
 * ```
 */
export function decayGroups(module: Module, weightDecay: number): ParamGroup[] {
  const trainable = module.parameters().filter((p) => p.requiresGrad);
  return [
    { params: trainable.filter((p) => p.rank >= 2), weightDecay },
    { params: trainable.filter((p) => p.rank < 2), weightDecay: 0 },
  ];
}
