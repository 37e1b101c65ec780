import { RlhfError } from '@rlhf/core';

/**
 * A model configuration is invalid or unsupported. The message names the key (and the file when known).
 *
 * @example
 * ```ts
 * throw new ModelConfigError('hidden_size', 'must be divisible by num_attention_heads', 'config.json');
 * ```
 */
export class ModelConfigError extends RlhfError {
  /** Builds the error from the configuration key at fault, the reason and the file. */
  constructor(
    /** The configuration key at fault. */
    readonly key: string,
    reason: string,
    /** The file the configuration came from, when known. */
    readonly file?: string,
  ) {
    super('MODEL_CONFIG', `${file ? `${file}: ` : ''}'${key}' ${reason}.`);
  }
}
