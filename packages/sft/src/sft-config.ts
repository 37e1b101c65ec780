import { ConfigError, described, type OptionConfig, type OptionValues, option, trainerOptionSpecs } from '@rlhf/core';
import { LORA_CONFIG_KEYS, type LoraConfig, resolveLoraConfig } from '@rlhf/models';

/**
 * The specification's defaults of `SFTTrainer`.
 *
 * @example
 * ```ts
 * SFT_DEFAULTS.toc_do_hoc; // 2e-5
 * ```
 */
export const SFT_DEFAULTS = {
  /** Epochs (số vòng). */
  so_vong: 3,
  /** Examples per micro-batch (kích thước batch). */
  kich_thuoc_batch: 4,
  /** Peak learning rate (tốc độ học). */
  toc_do_hoc: 2e-5,
  /** Micro-batches per optimizer step. */
  gradient_accumulation: 4,
  /** Global gradient-norm clip. */
  gradient_clip: 1.0,
  /** Share of steps spent warming up. */
  warmup_ratio: 0.1,
  /** AdamW decoupled weight decay. */
  weight_decay: 0.01,
  /** Tokens per sequence. */
  max_seq_length: 512,
  /** Optimizer steps between history records. */
  logging_steps: 10,
  /** Seed of the run's generator. */
  seed: 42,
} as const;

const isLoraConfig = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The one option table of `SFTTrainer`: the shared options with the specification's defaults ({@link SFT_DEFAULTS})
 * and SFT's own; {@link SFTConfig}, {@link SFTOptions} and the validation (`resolveOptions`) derive from it.
 *
 * @example
 * ```ts
 * const options = resolveOptions('SFTTrainer', SFT_OPTION_SPECS, { so_vong: 1 });
 * ```
 */
export const SFT_OPTION_SPECS = {
  ...trainerOptionSpecs(SFT_DEFAULTS),
  /** Tokens per sequence; longer examples are truncated (and counted in `thong_ke()`). @defaultValue 512 */
  max_seq_length: described(
    'Tokens per sequence; longer examples are truncated (and counted in `thong_ke()`)',
    option.integer(SFT_DEFAULTS.max_seq_length, { min: 2 }),
  ),
  /**
   * Pack several short examples into each `max_seq_length` sequence (best-fit decreasing), with a
   * block-diagonal attention mask and positions restarting per example, so packed examples never attend
   * to each other. @defaultValue false
   */
  packing: described(
    'Pack several short examples into each `max_seq_length` sequence (best-fit decreasing), with a block-diagonal attention mask and positions restarting per example, so packed examples never attend to each other',
    option.boolean(false),
  ),
  /** Train LoRA adapters (PEFT's keys: r, lora_alpha, lora_dropout, target_modules) instead of all weights. @defaultValue null */
  lora: described(
    "Train LoRA adapters (PEFT's keys: r, lora_alpha, lora_dropout, target_modules) instead of all weights",
    option.nullable(
      option.custom<LoraConfig>(
        {},
        'a LoRA config object { r, lora_alpha, lora_dropout, target_modules }',
        isLoraConfig,
      ),
    ),
  ),
  /** For `{ prompt, completion }` records, loss on the completion only (TRL's `completion_only_loss`). @defaultValue true */
  completion_only_loss: described(
    "For `{ prompt, completion }` records, loss on the completion only (TRL's `completion_only_loss`)",
    option.boolean(true),
  ),
  /** For `{ messages }` records, loss on assistant turns only (TRL's `assistant_only_loss`). @defaultValue true */
  assistant_only_loss: described(
    "For `{ messages }` records, loss on assistant turns only (TRL's `assistant_only_loss`)",
    option.boolean(true),
  ),
};

/**
 * Options of {@link SFTTrainer}: the specification's keyword arguments with the specification's defaults, plus snake_case
 * extras. Every key is optional; unknown keys are rejected. Derived from {@link SFT_OPTION_SPECS}.
 *
 * @example
 * ```ts
 * const config: SFTConfig = { so_vong: 1, toc_do_hoc: 1e-4, kich_thuoc_batch: 8, max_seq_length: 256, packing: true };
 * ```
 */
export type SFTConfig = OptionConfig<typeof SFT_OPTION_SPECS>;

/** {@link SFTConfig} with every default filled in. */
export type SFTOptions = OptionValues<typeof SFT_OPTION_SPECS>;

/**
 * Checks the LoRA sub-options, turning a bad one into a {@link ConfigError} naming `lora.<key>`.
 *
 * @example
 * ```ts
 * checkLoraOption('SFTTrainer', { r: 0 }); // throws: option 'lora.r' ...
 * ```
 */
export function checkLoraOption(owner: string, lora: LoraConfig | null): void {
  if (lora === null) return;
  const known: readonly string[] = LORA_CONFIG_KEYS;
  for (const key of Object.keys(lora)) {
    if (!known.includes(key))
      throw new ConfigError(
        owner,
        `lora.${key}`,
        (lora as Record<string, unknown>)[key],
        `one of the LoRA keys ${known.join(', ')}`,
        'unknown option',
      );
  }
  try {
    resolveLoraConfig(lora);
  } catch (error) {
    const key = (error as { key?: string }).key ?? '';
    throw new ConfigError(
      owner,
      `lora.${key}`,
      (lora as Record<string, unknown>)[key],
      (error as Error).message.replace(/\.$/, ''),
    );
  }
}
