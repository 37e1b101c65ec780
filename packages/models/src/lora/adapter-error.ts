import { RlhfError } from '@rlhf/core';

/**
 * A PEFT adapter folder or its files cannot be used: a missing or unreadable file, a config PEFT would
 * not write or this library cannot apply, or an adapter made for another architecture. The message names
 * the file (and the key or tensor) and what is expected.
 *
 * @example
 * ```ts
 * throw new AdapterError('out/adapter/adapter_config.json', "'peft_type' must be \"LORA\" (got \"IA3\")");
 * ```
 */
export class AdapterError extends RlhfError {
  /** Builds the error from the adapter file or folder and what is wrong with it. */
  constructor(
    /** The adapter file (or folder) at fault. */
    readonly file: string,
    /** What is wrong, without the file name. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('LORA_ADAPTER', `${file}: ${reason}.`, options);
  }
}
