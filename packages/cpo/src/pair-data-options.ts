import { ConfigError, described, option } from '@rlhf/core';
import { BETA_BOUNDS } from '@rlhf/dpo';
import { loraOption } from '@rlhf/models';

/**
 * The options `ORPOTrainer` and `CPOTrainer` share beyond the trainer's (the same keys, checks and meaning
 * as `DPOTrainer`'s): how preference pairs are read — the sequence length, the prompt's share of it when a
 * pair is cut, a chat template — and LoRA.
 *
 * @example
 * ```ts
 * const specs = { ...trainerOptionSpecs(DEFAULTS), ...pairDataOptionSpecs(512) };
 * ```
 */
export function pairDataOptionSpecs(maxSeqLength: number) {
  return {
    /** Longest prompt + response, in tokens; longer pairs are truncated (and counted). @defaultValue 512 */
    max_seq_length: described(
      'Longest prompt + response, in tokens; longer pairs are truncated (and counted)',
      option.integer(maxSeqLength, { min: 2 }),
    ),
    /**
     * Longest prompt kept when a pair must be truncated (cut from the front, BOS kept); a shorter prompt is
     * kept whole and only the responses are cut; < max_seq_length. @defaultValue null (half of `max_seq_length`)
     */
    max_prompt_length: described(
      'Longest prompt kept when a pair must be truncated (cut from the front, BOS kept); a shorter prompt is kept whole and only the responses are cut; < max_seq_length',
      option.nullable(option.integer(1, { min: 1 })),
    ),
    /** Jinja chat template for conversational records, when the tokenizer has none (or to override it). @defaultValue null */
    chat_template: described(
      'Jinja chat template for conversational records, when the tokenizer has none (or to override it)',
      option.nullable(
        option.custom<string>('', 'a Jinja template string', (v) => typeof v === 'string' && v.length > 0),
      ),
    ),
    /**
     * Train LoRA adapters (PEFT's keys) instead of all weights: the base weights stay as they are and hold no
     * optimizer state (TRL's `peft_config`). @defaultValue null
     */
    lora: loraOption(
      "Train LoRA adapters (PEFT's keys) instead of all weights: the base weights stay as they are and hold no optimizer state",
    ),
  };
}

/**
 * β as both trainers take it: a number > 0 within a normal float32 (`BETA_BOUNDS` of `@rlhf/dpo`), so
 * neither `β·h` nor IPO's `1/(2β)` is born infinite or zero from the option alone.
 *
 * @example
 * ```ts
 * const beta = betaOption(0.1, 'λ: weight of the odds-ratio term');
 * ```
 */
export function betaOption(defaultValue: number, description: string) {
  return described(
    description,
    option.custom<number>(
      defaultValue,
      `a number > 0 (a normal float32, in [${BETA_BOUNDS.min}, ${BETA_BOUNDS.max}])`,
      (v) => typeof v === 'number' && v >= BETA_BOUNDS.min && v <= BETA_BOUNDS.max,
    ),
  );
}

/**
 * Rejects a `max_prompt_length` that leaves no room for a response (≥ `max_seq_length`), naming the key.
 *
 * @example
 * ```ts
 * checkPromptLength('ORPOTrainer', { max_seq_length: 64, max_prompt_length: 64 }); // throws ConfigError
 * ```
 */
export function checkPromptLength(
  owner: string,
  o: { readonly max_seq_length: number; readonly max_prompt_length: number | null },
): void {
  if (o.max_prompt_length !== null && o.max_prompt_length >= o.max_seq_length) {
    throw new ConfigError(
      owner,
      'max_prompt_length',
      o.max_prompt_length,
      `an integer < max_seq_length (${o.max_seq_length}), or null`,
    );
  }
}
