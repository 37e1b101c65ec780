import { described, type Module, option, type Random } from '@rlhf/core';
import { applyLora, type LoraModel } from './lora.js';
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

/**
 * What a trainer does with its `lora` option at the start of a run: nothing for `null`; otherwise attaches
 * the adapters (seeded by the run's generator), first merging any adapters already on the model (an SFT
 * stage's LoRA), so that the run starts from — and an adapters-disabled reference is — the model as given.
 *
 * @example
 * ```ts
 * this.lora = attachLoraOption(model, options.lora, rng); // LoraModel | null
 * ```
 */
export function attachLoraOption(model: Module, lora: LoraConfig | null, rng: Random): LoraModel | null {
  return lora === null ? null : applyLora(model, lora, rng, { existingAdapters: 'merge' });
}
