import type { CausalLM } from '../pretrained/causal-lm.js';
import { contentOfModel } from '../pretrained/pretrained-io.js';
import { serializeSafetensors } from '../safetensors/serialize-safetensors.js';
import type { HfDirectoryContent } from './hf-directory-content.js';

const json = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

/**
 * The files of a Hugging Face model folder as bytes, by name: `config.json`, `model.safetensors` and,
 * when present, `tokenizer.json`, `tokenizer_config.json`, `generation_config.json` — what
 * `writeHfDirectory` writes to disk, and what a page offers as downloads or keeps in IndexedDB.
 * Browser-safe.
 *
 * @example
 * ```ts
 * const files = hfDirectoryBytes(content); // Map { 'config.json' => Uint8Array, ... }
 * ```
 */
export function hfDirectoryBytes(
  content: HfDirectoryContent,
  { safetensorsMetadata = { format: 'pt' } }: { safetensorsMetadata?: Record<string, string> } = {},
): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>([
    ['config.json', json(content.config)],
    ['model.safetensors', serializeSafetensors(content.tensors, safetensorsMetadata)],
  ]);
  if (content.tokenizerJson) files.set('tokenizer.json', json(content.tokenizerJson));
  if (content.tokenizerConfig) files.set('tokenizer_config.json', json(content.tokenizerConfig));
  if (content.generationConfig) files.set('generation_config.json', json(content.generationConfig));
  return files;
}

/**
 * A trained model as the bytes of a Hugging Face folder (LoRA adapters merged), by file name — the
 * browser's `saveModel`: `loadModelFrom` reads them back.
 *
 * @example
 * ```ts
 * for (const [name, bytes] of await modelFileBytes(model)) download(name, bytes);
 * ```
 */
export async function modelFileBytes(model: CausalLM): Promise<Map<string, Uint8Array>> {
  return hfDirectoryBytes(await contentOfModel(model));
}
