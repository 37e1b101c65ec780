import type { CausalLM } from './causal-lm.js';

/** The Node-only entry that writes directories (imported on demand so this package stays browser-safe). */
const NODE_ENTRY = '@rlhf/models/node';

/**
 * Saves a model as a Hugging Face directory through the Node-only entry, imported on first use. In a
 * browser, use `contentOfModel` and store the files yourself.
 *
 * @example
 * ```ts
 * await saveToDirectory(model, 'out/model');
 * ```
 */
export async function saveToDirectory(model: CausalLM, dir: string): Promise<void> {
  const node = (await import(/* @vite-ignore */ NODE_ENTRY)) as {
    saveModel(model: CausalLM, dir: string): Promise<void>;
  };
  await node.saveModel(model, dir);
}
