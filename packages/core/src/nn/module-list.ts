import type { TensorBackend } from '../backend/backend-spec.js';
import { Module } from './module.js';

/**
 * An ordered list of sub-modules named `0`, `1`, ... (PyTorch's `nn.ModuleList`), so parameters read
 * `layers.0.self_attn.q_proj.weight`.
 *
 * @example
 * ```ts
 * const layers = new ModuleList(backend, [blockA, blockB]);
 * for (const block of layers.items) h = block.forward(h);
 * ```
 */
export class ModuleList<M extends Module> extends Module {
  /** The sub-modules, in order (registered as `0`, `1`, ...). */
  readonly items: readonly M[];

  /** Registers `items` as sub-modules named `0`, `1`, … (Hugging Face's `ModuleList` names). */
  constructor(backend: TensorBackend, items: readonly M[]) {
    super(backend);
    this.items = items;
    items.forEach((m, i) => {
      this.registerModule(String(i), m);
    });
  }
}
