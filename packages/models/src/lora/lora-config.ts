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
  /**
   * Names of the linear layers to adapt, matched as PEFT matches a list: a layer whose dotted name equals
   * an entry or ends with `.` + the entry (`q_proj`, `c_attn`, `self_attn.q_proj`). Every entry must
   * match at least one linear (or GPT-2 `Conv1D`) layer. @defaultValue ['q_proj', 'v_proj']
   */
  target_modules?: string[];
  /** rsLoRA: scale the update by `lora_alpha / √r` instead of `lora_alpha / r` (PEFT's key). @defaultValue false */
  use_rslora?: boolean;
}

/** A LoRA configuration with every default filled in. */
export type ResolvedLoraConfig = Required<LoraConfig>;

/** The keys of {@link LoraConfig}. */
export const LORA_CONFIG_KEYS = ['r', 'lora_alpha', 'lora_dropout', 'target_modules', 'use_rslora'] as const;

/**
 * A LoRA configuration or adapter file is invalid: names the key or tensor.
 *
 * @example
 * ```ts
 * throw new LoraError('r', 'must be a positive integer');
 * ```
 */
export class LoraError extends RlhfError {
  /** Builds the error from the LoRA option at fault and what is expected. */
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
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new LoraError(
      'config',
      `must be an object { r, lora_alpha, lora_dropout, target_modules } (got ${JSON.stringify(config)})`,
    );
  for (const key of Object.keys(config)) {
    if (!(LORA_CONFIG_KEYS as readonly string[]).includes(key))
      throw new LoraError(key, `is not a LoRA option (known: ${LORA_CONFIG_KEYS.join(', ')})`);
  }
  const resolved = {
    r: config.r ?? 8,
    lora_alpha: config.lora_alpha ?? 8,
    lora_dropout: config.lora_dropout ?? 0,
    target_modules: config.target_modules ?? ['q_proj', 'v_proj'],
    use_rslora: config.use_rslora ?? false,
  };
  if (!Array.isArray(resolved.target_modules))
    throw new LoraError(
      'target_modules',
      `must be a list of layer names (got ${JSON.stringify(resolved.target_modules)})`,
    );
  const badName = resolved.target_modules.find((t) => typeof t !== 'string' || t.length === 0);
  if (badName !== undefined)
    throw new LoraError('target_modules', `must hold non-empty layer names (got ${JSON.stringify(badName)})`);
  if (typeof resolved.use_rslora !== 'boolean')
    throw new LoraError('use_rslora', `must be true or false (got ${JSON.stringify(resolved.use_rslora)})`);
  if (!Number.isInteger(resolved.r) || resolved.r <= 0)
    throw new LoraError('r', `must be a positive integer (got ${JSON.stringify(resolved.r)})`);
  if (typeof resolved.lora_alpha !== 'number' || !(resolved.lora_alpha > 0) || !Number.isFinite(resolved.lora_alpha))
    throw new LoraError('lora_alpha', `must be a finite number > 0 (got ${JSON.stringify(resolved.lora_alpha)})`);
  if (typeof resolved.lora_dropout !== 'number' || !(resolved.lora_dropout >= 0 && resolved.lora_dropout < 1))
    throw new LoraError('lora_dropout', `must be a number in [0, 1) (got ${JSON.stringify(resolved.lora_dropout)})`);
  if (resolved.target_modules.length === 0) throw new LoraError('target_modules', 'must name at least one module');
  return resolved;
}
