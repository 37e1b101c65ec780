/**
 * A float32 tensor of a Hugging Face checkpoint: row-major `data` with `product(shape)` values.
 *
 * @example
 * ```ts
 * const norm: HfTensor = { shape: [64], data: new Float32Array(64).fill(1) };
 * ```
 */
export interface HfTensor {
  /** The tensor's shape. */
  shape: number[];
  /** Its values, row-major. */
  data: Float32Array;
}

/**
 * The content of a Hugging Face model directory, as plain objects and tensors: what
 * `writeHfDirectory` (from `@rlhf/models/node`) writes as `config.json`, `model.safetensors`,
 * `tokenizer.json`, `tokenizer_config.json` and `generation_config.json`.
 *
 * @example
 * ```ts
 * const content: HfDirectoryContent = {
 *   config: { model_type: 'llama', hidden_size: 64 },
 *   tensors: new Map([['model.norm.weight', { shape: [64], data: new Float32Array(64).fill(1) }]]),
 * };
 * ```
 */
export interface HfDirectoryContent {
  /** `config.json`. */
  config: Record<string, unknown>;
  /** `model.safetensors`, by Hugging Face parameter name. */
  tensors: ReadonlyMap<string, HfTensor>;
  /** `tokenizer.json`, when the model has a tokenizer. */
  tokenizerJson?: Record<string, unknown>;
  /** `tokenizer_config.json`. */
  tokenizerConfig?: Record<string, unknown>;
  /** `generation_config.json`. */
  generationConfig?: Record<string, unknown>;
  /** Where the content was read from (a directory), used to name files in error messages. */
  source?: string;
}

/**
 * The number of parameters in a tensor map (each tensor counted once, so a tied embedding once).
 *
 * @example
 * ```ts
 * countParameters(new Map([['w', { shape: [2, 3], data: new Float32Array(6) }]])); // 6
 * ```
 */
export function countParameters(tensors: ReadonlyMap<string, { data: ArrayLike<number> }>): number {
  let total = 0;
  for (const { data } of tensors.values()) total += data.length;
  return total;
}
