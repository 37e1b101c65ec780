import {
  ConfigError,
  type OptionSpec,
  option,
  type TrainerConfig,
  type TrainerOptions,
  trainerOptionSpecs,
} from '@rlhf/core';
import { type LoraConfig, resolveLoraConfig } from '@rlhf/models';

/**
 * Options of {@link SFTTrainer}: the seed's keyword arguments with the seed's defaults, plus snake_case
 * extras. Every key is optional; unknown keys are rejected.
 *
 * @example
 * ```ts
 * const config: SFTConfig = { so_vong: 1, toc_do_hoc: 1e-4, kich_thuoc_batch: 8, max_seq_length: 256, packing: true };
 * ```
 */
export interface SFTConfig extends TrainerConfig {
  /** Number of epochs (số vòng). @defaultValue 3 */
  so_vong?: number;
  /** Examples per micro-batch (kích thước batch). @defaultValue 4 */
  kich_thuoc_batch?: number;
  /** Peak learning rate (tốc độ học). @defaultValue 2e-5 */
  toc_do_hoc?: number;
  /** Micro-batches per optimizer step; the loss is the mean over all target tokens of the step. @defaultValue 4 */
  gradient_accumulation?: number;
  /** Global gradient-norm clip; 0 disables. @defaultValue 1.0 */
  gradient_clip?: number;
  /** Share of the steps spent on linear warm-up, then linear decay to 0. @defaultValue 0.1 */
  warmup_ratio?: number;
  /** AdamW decoupled weight decay (not on norms and biases). @defaultValue 0.01 */
  weight_decay?: number;
  /** Tokens per sequence; longer examples are truncated (and counted in `thong_ke()`). @defaultValue 512 */
  max_seq_length?: number;
  /** A history record every this many optimizer steps. @defaultValue 10 */
  logging_steps?: number;
  /** Seed of shuffling, LoRA initialisation and dropout. @defaultValue 42 */
  seed?: number;
  /**
   * Pack several short examples into each `max_seq_length` sequence (best-fit decreasing), with a
   * block-diagonal attention mask and positions restarting per example, so packed examples never attend
   * to each other. @defaultValue false
   */
  packing?: boolean;
  /** Train LoRA adapters (PEFT's keys: r, lora_alpha, lora_dropout, target_modules) instead of all weights. @defaultValue null */
  lora?: LoraConfig | null;
  /** For `{ prompt, completion }` records, loss on the completion only (TRL's `completion_only_loss`). @defaultValue true */
  completion_only_loss?: boolean;
  /** For `{ messages }` records, loss on assistant turns only (TRL's `assistant_only_loss`). @defaultValue true */
  assistant_only_loss?: boolean;
}

/** {@link SFTConfig} with every default filled in. */
export type SFTOptions = TrainerOptions & {
  /** Tokens per sequence (see {@link SFTConfig.max_seq_length}). */
  max_seq_length: number;
  /** Pack short examples together (see {@link SFTConfig.packing}). */
  packing: boolean;
  /** LoRA adapters to train, or `null` for full fine-tuning. */
  lora: LoraConfig | null;
  /** Loss on completions only, for prompt-completion records. */
  completion_only_loss: boolean;
  /** Loss on assistant turns only, for conversational records. */
  assistant_only_loss: boolean;
};

/**
 * The seed's defaults of `SFTTrainer`.
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
 * The option table of `SFTTrainer` (for validation with `resolveOptions`).
 *
 * @example
 * ```ts
 * const options = resolveOptions('SFTTrainer', SFT_OPTION_SPECS, { so_vong: 1 });
 * ```
 */
export const SFT_OPTION_SPECS: { readonly [K in keyof SFTOptions]: OptionSpec<SFTOptions[K]> } = {
  ...trainerOptionSpecs(SFT_DEFAULTS),
  max_seq_length: option.integer(SFT_DEFAULTS.max_seq_length, { min: 2 }),
  packing: option.boolean(false),
  lora: option.nullable(
    option.custom<LoraConfig>({}, 'a LoRA config object { r, lora_alpha, lora_dropout, target_modules }', isLoraConfig),
  ),
  completion_only_loss: option.boolean(true),
  assistant_only_loss: option.boolean(true),
};

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
  const known = ['r', 'lora_alpha', 'lora_dropout', 'target_modules'];
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
