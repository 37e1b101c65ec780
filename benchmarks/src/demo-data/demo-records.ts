/**
 * A supervised fine-tuning record in TRL's prompt-completion layout. The completion starts with the space
 * that separates it from the prompt, because SFT tokenises `prompt + completion` as one text.
 */
export interface SFTRecord {
  prompt: string;
  completion: string;
}

/**
 * A preference pair in the seed's layout. `chosen` and `rejected` have no leading space: DPO and the reward
 * model tokenise the prompt and each response separately, and stories260K's sentencepiece tokenizer puts
 * the word-start mark (▁) on a response's first word itself, so `prompt` ++ `chosen` gives the same tokens
 * as the text `prompt + ' ' + chosen`.
 */
export interface PreferenceRecord {
  prompt: string;
  chosen: string;
  rejected: string;
}

/** Everything a variant's bundle holds. */
export interface DemoBundle {
  sft: SFTRecord[];
  preferences: PreferenceRecord[];
  /** Held-out pairs (from the evaluation prompts, never trained on) to measure the reward model's accuracy. */
  preferencesVal: PreferenceRecord[];
  /** Held-out prompts for the before/after-DPO evaluation. */
  evalPrompts: string[];
}
