import { canonicalOptions, type OptionSpecs, resolveOptions, TRL_OPTION_ALIASES } from '@rlhf/core';
import { dpoOptionSpecs } from '@rlhf/dpo';
import { REWARD_OPTION_SPECS } from '@rlhf/reward';
import { SFT_OPTION_SPECS } from '@rlhf/sft';

/** A pipeline stage and the TRL trainer that runs it. */
export type TrlStage = 'sft' | 'reward' | 'dpo';

/** The TRL version whose documented `SFTConfig`, `RewardConfig` and `DPOConfig` names the export uses. */
export const TRL_VERSION = '0.24';

/** How one of our options reaches TRL. */
export type TrlExport =
  /** A keyword argument of the stage's TRL config, under this name. */
  | { readonly kind: 'arg'; readonly name: string }
  /** Handled by the script itself (PEFT's LoraConfig, the tokenizer's chat template, output folders). */
  | { readonly kind: 'script'; readonly how: string }
  /** Not exported: TRL has no such setting, or it only makes sense here. */
  | { readonly kind: 'skip'; readonly why: string };

/** TRL's name of a specification key: its alias from the one alias table (`toc_do_hoc` → `learning_rate`). */
const trlName = (key: string): string => Object.entries(TRL_OPTION_ALIASES).find(([, k]) => k === key)?.[0] ?? key;

const arg = (key: string): TrlExport => ({ kind: 'arg', name: trlName(key) });

/** Options every trainer shares (`transformers.TrainingArguments` underneath each TRL config). */
const SHARED: Record<string, TrlExport> = {
  so_vong: arg('so_vong'),
  kich_thuoc_batch: arg('kich_thuoc_batch'),
  toc_do_hoc: arg('toc_do_hoc'),
  gradient_accumulation: arg('gradient_accumulation'),
  gradient_clip: arg('gradient_clip'),
  warmup_ratio: arg('warmup_ratio'),
  weight_decay: arg('weight_decay'),
  logging_steps: arg('logging_steps'),
  seed: arg('seed'),
  max_steps: arg('max_steps'),
  lr_scheduler_type: {
    kind: 'script',
    how: "lr_scheduler_type; 'constant' becomes 'constant_with_warmup' (ours warms up first)",
  },
  eval_on_start: arg('eval_on_start'),
  save_steps: {
    kind: 'script',
    how: "save_steps; 0 (only at the end) becomes save_strategy 'no' (the script saves at the end)",
  },
  save_total_limit: arg('save_total_limit'),
  output_dir: { kind: 'script', how: 'output_dir: one folder per stage under the export folder' },
  overwrite_output_dir: { kind: 'skip', why: 'the run folder rules of this CLI (--overwrite)' },
  resume_from_checkpoint: { kind: 'skip', why: 'pass resume_from_checkpoint to trainer.train() when resuming' },
  checkpoint_storage: { kind: 'skip', why: 'a storage object of the JavaScript library' },
  backend: { kind: 'skip', why: 'the JavaScript tensor backend; Accelerate chooses the devices' },
  skip_nonfinite_steps: { kind: 'skip', why: 'TRL has no equivalent (it does not skip non-finite steps)' },
};

/**
 * How each option of each trainer reaches TRL: every key of the trainers' option tables has an entry
 * (a test checks it), TRL's names come from {@link TRL_OPTION_ALIASES}.
 */
export const TRL_EXPORT: Readonly<Record<TrlStage, Readonly<Record<string, TrlExport>>>> = {
  sft: {
    ...SHARED,
    max_seq_length: arg('max_seq_length'),
    packing: arg('packing'),
    completion_only_loss: arg('completion_only_loss'),
    assistant_only_loss: arg('assistant_only_loss'),
    lora: { kind: 'script', how: "peft.LoraConfig passed as the trainer's peft_config" },
  },
  reward: {
    ...SHARED,
    max_seq_length: arg('max_seq_length'),
    center_rewards_coefficient: arg('center_rewards_coefficient'),
    max_prompt_length: { kind: 'skip', why: 'RewardConfig cuts whole sequences at max_length' },
    chat_template: { kind: 'script', how: 'tokenizer.chat_template' },
    scoring_batch_size: { kind: 'skip', why: 'batch size of scoring texts here (diem_danh_gia), not of training' },
  },
  dpo: {
    ...SHARED,
    beta: arg('beta'),
    label_smoothing: arg('label_smoothing'),
    max_seq_length: arg('max_seq_length'),
    loss_type: arg('loss_type'),
    loss_weights: arg('loss_weights'),
    discopop_tau: arg('discopop_tau'),
    max_prompt_length: arg('max_prompt_length'),
    precompute_ref_log_probs: arg('precompute_ref_log_probs'),
    lora: { kind: 'script', how: "peft.LoraConfig passed as the trainer's peft_config" },
    chat_template: { kind: 'script', how: 'tokenizer.chat_template' },
  },
};

/** The option table of each stage's trainer. */
export const STAGE_SPECS: Readonly<Record<TrlStage, { owner: string; specs: OptionSpecs }>> = {
  sft: { owner: 'SFTTrainer', specs: SFT_OPTION_SPECS },
  reward: { owner: 'RewardModel', specs: REWARD_OPTION_SPECS },
  dpo: { owner: 'DPOTrainer', specs: dpoOptionSpecs() },
};

/** One stage's settings for TRL. */
export interface TrlStageArgs {
  /** Keyword arguments of the stage's TRL config, each with the key it came from. */
  args: { name: string; value: unknown; from: string }[];
  /** The LoRA config (PEFT's keys), or null. */
  lora: Record<string, unknown> | null;
  /** A Jinja chat template for the tokenizer, or null. */
  chat_template: string | null;
  /** Options given (not defaults) that TRL does not take, with the reason. */
  skipped: { key: string; why: string }[];
}

/**
 * A stage's config (the specification's keys or TRL's aliases) as TRL keyword arguments: validated and
 * completed with our defaults by the trainer's own table (so TRL trains with the same values, not TRL's
 * defaults), then renamed through {@link TRL_EXPORT}.
 *
 * @example
 * ```ts
 * trlStageArgs('sft', { so_vong: 1, toc_do_hoc: 1e-3 }).args; // [{ name: 'num_train_epochs', value: 1, from: 'so_vong' }, ...]
 * ```
 */
export function trlStageArgs(stage: TrlStage, config: Record<string, unknown>): TrlStageArgs {
  const { owner, specs } = STAGE_SPECS[stage];
  const options = resolveOptions(owner, specs, config) as Record<string, unknown>;
  const given = canonicalOptions(owner, config, Object.keys(specs)).options;
  const out: TrlStageArgs = { args: [], lora: null, chat_template: null, skipped: [] };
  for (const [key, value] of Object.entries(options)) {
    const how = TRL_EXPORT[stage][key];
    if (!how) throw new Error(`no TRL export rule for ${owner} option '${key}'`);
    if (how.kind === 'arg') {
      if (value !== null || key === 'save_total_limit') out.args.push({ name: how.name, value, from: key });
    } else if (how.kind === 'skip') {
      if (Object.hasOwn(given, key)) out.skipped.push({ key, why: how.why });
    } else if (key === 'lr_scheduler_type') {
      out.args.push({ name: key, value: value === 'constant' ? 'constant_with_warmup' : value, from: key });
    } else if (key === 'save_steps') {
      if (value === 0) out.args.push({ name: 'save_strategy', value: 'no', from: key });
      else
        out.args.push({ name: 'save_strategy', value: 'steps', from: key }, { name: 'save_steps', value, from: key });
    } else if (key === 'lora') out.lora = (value as Record<string, unknown> | null) ?? null;
    else if (key === 'chat_template') out.chat_template = (value as string | null) ?? null;
  }
  return out;
}
