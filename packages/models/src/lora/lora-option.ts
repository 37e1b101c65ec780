import { described, option } from '@rlhf/core';
import { LORA_CONFIG_KEYS, type LoraConfig } from './lora-config.js';

const KEYS: ReadonlySet<string> = new Set(LORA_CONFIG_KEYS);

/**
 * The `lora` entry of a trainer's option table: `null` (train every weight) or a {@link LoraConfig} object
 * with PEFT's keys only (an unknown key is a `ConfigError` naming `lora`; the values are checked when the
 * adapters are attached, by `resolveLoraConfig`). One definition for every trainer that takes it.
 *
 * @example
 * ```ts
 * const specs = { ...trainerOptionSpecs(DEFAULTS), lora: loraOption('Train LoRA adapters instead of all weights') };
 * ```
 */
export function loraOption(description: string) {
  return described(
    description,
    option.nullable(
      option.custom<LoraConfig>(
        {},
        `a LoRA config object with keys ${LORA_CONFIG_KEYS.join(', ')}`,
        (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).every((k) => KEYS.has(k)),
      ),
    ),
  );
}
