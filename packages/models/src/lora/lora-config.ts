import { RlhfError } from '@rlhf/core';

/**
 * LoRA options with PEFT's `LoraConfig` keys (so `adapter_config.json` round-trips with PEFT).
 *
 * @example
 * ```ts
 * const lora: LoraConfig = { r: 8, lora_alpha: 16, lora_dropout: 0.05, target_modules: ['q_proj', 'v_proj'] };
 * ```
 */
export interface LoraConfig {
  /** Rank of the update. @defaultValue 8 */
  r?: number;
  /** Scale numerator: the update is `(lora_alpha / r) · B·A`. @defaultValue 8 */
  lora_alpha?: number;
  /** Dropout on the adapter's input. @defaultValue 0 */
  lora_dropout?: number;
  /** Last name segments of the linear layers to adapt. @defaultValue ['q_proj', 'v_proj'] */
  target_modules?: string[];
}

/** A LoRA configuration with every default filled in. */
export type ResolvedLoraConfig = Required<LoraConfig>;

/**
 * A LoRA configuration or adapter file is invalid: names the key or tensor.
 *
 * @example
 * ```ts
 * throw new LoraError('r', 'must be a positive integer');
 * ```
 */
export class LoraError extends RlhfError {
  constructor(
    /** The LoRA option at fault (`'r'`, `'target_modules'`, ...). */
    readonly key: string,
    reason: string,
  ) {
    super('LORA', `LoRA '${key}' ${reason}.`);
  }
}

/**
 * Fills defaults and validates a LoRA configuration.
 *
 * @example
 * ```ts
 * const cfg = resolveLoraConfig({ r: 4 }); // lora_alpha 8, target_modules ['q_proj', 'v_proj']
 * ```
 */
export function resolveLoraConfig(config: LoraConfig = {}): ResolvedLoraConfig {
  const resolved = {
    r: config.r ?? 8,
    lora_alpha: config.lora_alpha ?? 8,
    lora_dropout: config.lora_dropout ?? 0,
    target_modules: config.target_modules ?? ['q_proj', 'v_proj'],
  };
  if (!Number.isInteger(resolved.r) || resolved.r <= 0)
    throw new LoraError('r', `must be a positive integer (got ${resolved.r})`);
  if (!(resolved.lora_alpha > 0)) throw new LoraError('lora_alpha', `must be > 0 (got ${resolved.lora_alpha})`);
  if (!(resolved.lora_dropout >= 0 && resolved.lora_dropout < 1))
    throw new LoraError('lora_dropout', `must be in [0, 1) (got ${resolved.lora_dropout})`);
  if (resolved.target_modules.length === 0) throw new LoraError('target_modules', 'must name at least one module');
  return resolved;
}
