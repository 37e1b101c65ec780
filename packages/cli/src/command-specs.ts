import type { OptionSpecs } from '@rlhf/core';
import { cpoOptionSpecs, orpoOptionSpecs } from '@rlhf/cpo';
import { dpoOptionSpecs } from '@rlhf/dpo';
import { grpoOptionSpecs, rlooOptionSpecs } from '@rlhf/grpo';
import { ktoOptionSpecs } from '@rlhf/kto';
import { REWARD_OPTION_SPECS } from '@rlhf/reward';
import { SFT_OPTION_SPECS } from '@rlhf/sft';

/** One flag of a command, in its one shown spelling (`--kebab-case`; `--snake_case` is accepted as well). */
export interface FlagSpec {
  /** The flag's name without `--`, in kebab-case. */
  name: string;
  /** What its value is (`DIR`, `FILE`, `N`, ...); absent for a flag that takes no value. */
  value?: string;
  /** Its type, as shown in the help (`path`, `integer`, `number ≥ 0`, `string`, `JSON object`). */
  type: string;
  /** Its default, as shown (absent: none, or `required`). */
  default?: string;
  /** The command fails without it. */
  required?: boolean;
  /** What it does, one phrase in English. */
  description: string;
}

/** A trainer's option table, accepted as flags and as keys of `--config FILE.json`. */
export interface TrainerOptionTable {
  /** The trainer (`SFTTrainer`, ...). */
  owner: string;
  /** Its option specs: types, defaults, checks and descriptions all come from here. */
  specs: OptionSpecs;
}

/** What `rlhf help <command>` shows, and the flags the command accepts. */
export interface CommandSpec {
  /** One line: what the command does. */
  summary: string;
  /** The usage line (after `rlhf `). */
  usage: string;
  /** The command's own flags (the common ones are in {@link COMMON_FLAGS}). */
  flags: readonly FlagSpec[];
  /** The trainer options it accepts besides its flags. */
  options?: TrainerOptionTable;
  /** Extra lines of explanation. */
  notes?: readonly string[];
  /** A command line that works from the repository root. */
  example: string;
}

/** Flags every command accepts. */
export const COMMON_FLAGS: readonly FlagSpec[] = [
  { name: 'json', type: 'boolean', description: 'Print the result as one JSON object on the last stdout line.' },
  {
    name: 'backend',
    value: 'NAME',
    type: 'string',
    default: 'the fastest installed',
    description: "Tensor backend: 'js' or an installed @rlhf/backend-<name> ('onnxruntime', ...).",
  },
  { name: 'verbose', type: 'boolean', description: 'Print the stack trace of an error.' },
  { name: 'help', type: 'boolean', description: 'Print this help and exit (also -h, rlhf help <command>).' },
];

const model = (
  description = 'The model folder (Hugging Face layout: config.json, model.safetensors, tokenizer.json).',
) => ({ name: 'model', value: 'DIR', type: 'path', required: true, description }) as const;
const out = (description: string): FlagSpec => ({
  name: 'out',
  value: 'DIR',
  type: 'path',
  required: true,
  description,
});
const overwrite: FlagSpec = {
  name: 'overwrite',
  type: 'boolean',
  description: 'Replace a finished or interrupted run in the output folder (otherwise refused).',
};
const config: FlagSpec = {
  name: 'config',
  value: 'FILE',
  type: 'path',
  description: 'A JSON object of training options (flags given as well override its keys).',
};
const skipInvalid: FlagSpec = {
  name: 'skip-invalid',
  type: 'boolean',
  description: 'Leave out unusable preference records (counted and reported) instead of stopping.',
};
const preferenceData: FlagSpec = {
  name: 'data',
  value: 'FILE',
  type: 'path',
  required: true,
  description: 'Preference pairs: JSON or JSONL of { prompt, chosen, rejected }.',
};

/** The flags `rlhf grpo` and `rlhf rloo` share. */
function onlineFlags(): FlagSpec[] {
  return [
    model('The policy to train.'),
    {
      name: 'ref-model',
      value: 'DIR',
      type: 'path',
      description: 'The reference model of the KL term (default: a frozen copy of --model, made when beta ≠ 0).',
    },
    {
      name: 'prompts',
      value: 'FILE',
      type: 'path',
      required: true,
      description: 'The prompts: JSON or JSONL of { prompt } (or strings).',
    },
    {
      name: 'reward-model',
      value: 'DIR',
      type: 'path',
      description: 'A reward model folder (rlhf reward): it scores prompt + completion.',
    },
    {
      name: 'reward-module',
      value: 'FILE',
      type: 'path',
      description:
        'A JavaScript module whose default export is the reward function (prompts, completions) => number[]; only from this flag, never from a config file.',
    },
    out('The folder for the trained policy and history.jsonl.'),
    overwrite,
    config,
  ];
}

/** Every command of `rlhf`, by name: the one table the help, the flag checks and the tests read. */
export const COMMAND_SPECS = {
  convert: {
    summary: 'Convert a llama2.c checkpoint and tokenizer to a Hugging Face model folder.',
    usage: 'convert llama2c --model M.bin --tokenizer T.bin --out DIR [--overwrite]',
    flags: [
      { name: 'model', value: 'FILE', type: 'path', required: true, description: 'The llama2.c checkpoint (.bin).' },
      { name: 'tokenizer', value: 'FILE', type: 'path', required: true, description: 'The llama2.c tokenizer (.bin).' },
      out('The model folder to write.'),
      overwrite,
    ],
    example:
      'rlhf convert llama2c --model data/models/stories260K/stories260K.bin --tokenizer data/models/stories260K/tok512.bin --out models/stories260K-hf',
  },
  generate: {
    summary: 'Continue a prompt with a model (BOS + prompt); prints the generated text only.',
    usage: 'generate --model DIR [--prompt TEXT] [--max-new-tokens N] [flags]',
    flags: [
      model(),
      { name: 'adapter', value: 'DIR', type: 'path', description: 'A PEFT LoRA adapter folder loaded onto the model.' },
      { name: 'prompt', value: 'TEXT', type: 'string', default: "''", description: 'The text to continue.' },
      {
        name: 'max-new-tokens',
        value: 'N',
        type: 'integer ≥ 1',
        default: '50',
        description: "Tokens to generate at most (no more than the context length minus the prompt's tokens).",
      },
      {
        name: 'temperature',
        value: 'T',
        type: 'number ≥ 0',
        default: '1',
        description: 'Sampling temperature; 0 is greedy.',
      },
      {
        name: 'top-k',
        value: 'K',
        type: 'integer ≥ 0',
        default: '0',
        description: 'Keep the K likeliest tokens; 0 is off.',
      },
      {
        name: 'top-p',
        value: 'P',
        type: 'number in (0, 1]',
        default: '1',
        description: 'Keep the smallest set of tokens whose probability reaches P; 1 is off.',
      },
      { name: 'seed', value: 'S', type: 'integer', default: '0', description: 'Seed of the sampling generator.' },
      {
        name: 'repetition-penalty',
        value: 'R',
        type: 'number > 0',
        default: '1',
        description: 'CTRL repetition penalty on tokens already present; 1 is off.',
      },
      { name: 'no-cache', type: 'boolean', description: 'Recompute the whole sequence each step (no KV cache).' },
    ],
    example:
      'rlhf generate --model models/stories260K-hf --prompt "Once upon a time" --max-new-tokens 40 --temperature 0',
  },
  sft: {
    summary: 'Supervised fine-tuning (SFTTrainer); saves the model and history.jsonl to --out.',
    usage: 'sft --model DIR --data FILE --out DIR [flags] [--<option> VALUE ...]',
    flags: [
      model(),
      {
        name: 'data',
        value: 'FILE',
        type: 'path',
        required: true,
        description: 'Training records: JSON or JSONL of { text }, { prompt, completion } or { messages }.',
      },
      { name: 'val-data', value: 'FILE', type: 'path', description: 'Validation records (val_loss after each epoch).' },
      out('The folder for the trained model (with --lora, the PEFT adapter folder) and history.jsonl.'),
      overwrite,
      {
        name: 'merge-lora',
        value: 'DIR',
        type: 'path',
        description: 'With --lora: also write the model with the adapters merged in to DIR.',
      },
      config,
    ],
    options: { owner: 'SFTTrainer', specs: SFT_OPTION_SPECS },
    example:
      'rlhf sft --model models/stories260K-hf --data data/demo/en/sft.jsonl --out runs/sft --so-vong 1 --toc-do-hoc 1e-4',
  },
  reward: {
    summary: 'Train a reward model (a scalar head on a language model) on preference pairs.',
    usage: 'reward --model DIR --data FILE --out DIR [flags] [--<option> VALUE ...]',
    flags: [
      model('A language model (a scalar head is added) or a saved reward model (training continues).'),
      preferenceData,
      { name: 'val-data', value: 'FILE', type: 'path', description: 'Validation pairs (val_loss after each epoch).' },
      out('The folder for the reward model and history.jsonl.'),
      overwrite,
      skipInvalid,
      config,
    ],
    options: { owner: 'RewardModel', specs: REWARD_OPTION_SPECS },
    example: 'rlhf reward --model runs/sft --data data/demo/en/preferences.jsonl --out runs/rm --toc-do-hoc 1e-4',
  },
  dpo: {
    summary: 'Direct preference optimisation (DPOTrainer) of a policy against a frozen reference.',
    usage: 'dpo --model DIR --data FILE --out DIR [--ref-model DIR] [flags] [--<option> VALUE ...]',
    flags: [
      model('The policy to train.'),
      {
        name: 'ref-model',
        value: 'DIR',
        type: 'path',
        description: 'The reference model (default: a frozen copy of --model).',
      },
      preferenceData,
      out('The folder for the trained policy and history.jsonl.'),
      overwrite,
      skipInvalid,
      config,
    ],
    options: { owner: 'DPOTrainer', specs: dpoOptionSpecs() },
    example: 'rlhf dpo --model runs/sft --data data/demo/en/preferences.jsonl --out runs/dpo --beta 0.1',
  },
  kto: {
    summary: 'Kahneman-Tversky optimisation (KTOTrainer) on thumbs-up / thumbs-down data against a frozen reference.',
    usage: 'kto --model DIR --data FILE --out DIR [--ref-model DIR] [flags] [--<option> VALUE ...]',
    flags: [
      model('The policy to train.'),
      {
        name: 'ref-model',
        value: 'DIR',
        type: 'path',
        description: 'The reference model (default: a frozen copy of --model).',
      },
      {
        name: 'data',
        value: 'FILE',
        type: 'path',
        required: true,
        description:
          'Unpaired examples: JSON or JSONL of { prompt, completion, label: true|false }; a file of { prompt, chosen, rejected } pairs is converted (each pair → one desirable, one undesirable example).',
      },
      out('The folder for the trained policy and history.jsonl.'),
      overwrite,
      {
        name: 'skip-invalid',
        type: 'boolean',
        description: 'Leave out unusable records (counted and reported) instead of stopping.',
      },
      config,
    ],
    options: { owner: 'KTOTrainer', specs: ktoOptionSpecs() },
    notes: [
      'label true marks a desirable completion, false an undesirable one. Data with only one class trains, with a',
      "warning (as TRL's KTOTrainer); so do unbalanced classes whose weights are outside the paper's range.",
    ],
    example:
      'rlhf kto --model models/stories260K-hf --data data/demo/en/preferences.jsonl --out runs/kto --beta 0.1 --kich-thuoc-batch 4',
  },
  orpo: {
    summary: 'Odds-ratio preference optimisation (ORPOTrainer): SFT and preference in one stage, no reference model.',
    usage: 'orpo --model DIR --data FILE --out DIR [flags] [--<option> VALUE ...]',
    flags: [
      model('The policy to train (the only model loaded: ORPO has no reference).'),
      preferenceData,
      out('The folder for the trained policy and history.jsonl.'),
      overwrite,
      skipInvalid,
      config,
    ],
    options: { owner: 'ORPOTrainer', specs: orpoOptionSpecs() },
    notes: ["λ, the weight of the odds-ratio term, is `--beta` (TRL's ORPOConfig name)."],
    example: 'rlhf orpo --model models/stories260K-hf --data data/demo/en/preferences.jsonl --out runs/orpo --beta 0.1',
  },
  cpo: {
    summary: 'Reference-free preference optimisation (CPOTrainer): CPO, or SimPO with --loss-type simpo --cpo-alpha 0.',
    usage: 'cpo --model DIR --data FILE --out DIR [flags] [--<option> VALUE ...]',
    flags: [
      model('The policy to train (the only model loaded: no reference).'),
      preferenceData,
      out('The folder for the trained policy and history.jsonl.'),
      overwrite,
      skipInvalid,
      config,
    ],
    options: { owner: 'CPOTrainer', specs: cpoOptionSpecs() },
    notes: ["SimPO is --loss-type simpo --cpo-alpha 0 (TRL's CPOTrainer); --simpo-gamma sets its target margin γ."],
    example:
      'rlhf cpo --model models/stories260K-hf --data data/demo/en/preferences.jsonl --out runs/simpo --loss-type simpo --cpo-alpha 0 --beta 2',
  },
  grpo: {
    summary: 'Online RL with GRPOTrainer: sample completions of the prompts, reward them, follow the group advantage.',
    usage:
      'grpo --model DIR --prompts FILE --out DIR (--reward-model DIR | --reward-module FILE.mjs) [flags] [--<option> VALUE ...]',
    flags: onlineFlags(),
    options: { owner: 'GRPOTrainer', specs: grpoOptionSpecs() },
    notes: [
      'At least one reward: --reward-model and/or --reward-module (both: their sum, or --reward-weights [a,b]).',
      'Defaults and formulas follow TRL v1.0 GRPOConfig (loss_type dapo, beta 0, scale_rewards group).',
    ],
    example:
      'rlhf grpo --model runs/sft --prompts prompts.jsonl --reward-module rewards/contains-big.mjs --out runs/grpo --num-generations 4',
  },
  rloo: {
    summary: 'Online RL with RLOOTrainer: sampled completions, leave-one-out baseline, KL penalty on the reward.',
    usage:
      'rloo --model DIR --prompts FILE --out DIR (--reward-model DIR | --reward-module FILE.mjs) [flags] [--<option> VALUE ...]',
    flags: onlineFlags(),
    options: { owner: 'RLOOTrainer', specs: rlooOptionSpecs() },
    notes: [
      'At least one reward: --reward-model and/or --reward-module (both: their sum, or --reward-weights [a,b]).',
      'Defaults and formulas follow TRL v1.0 RLOOConfig (beta 0.05, num_generations 2).',
    ],
    example: 'rlhf rloo --model runs/sft --prompts prompts.jsonl --reward-model runs/rm --out runs/rloo',
  },
  score: {
    summary: 'Score texts with a reward model (diem_danh_gia): raw and normalised scores.',
    usage: 'score --model DIR --texts FILE',
    flags: [
      model('The reward model folder.'),
      {
        name: 'texts',
        value: 'FILE',
        type: 'path',
        required: true,
        description: 'A JSON array (or JSONL) of strings.',
      },
    ],
    example: 'rlhf score --model runs/rm --texts texts.json --json',
  },
  pipeline: {
    summary: 'The whole RLHF pipeline (chay_day_du): SFT → reward model → DPO → evaluation, with a report.',
    usage: 'pipeline --config FILE [--out DIR] [--resume | --overwrite]',
    flags: [
      {
        name: 'config',
        value: 'FILE',
        type: 'path',
        required: true,
        description:
          'The pipeline file: { model, sft_data, sft_val_data?, preference_data, eval_prompts?, sft_config?, reward_config?, dpo_config?, rlhf_method?, grpo_config?, rloo_config?, kto_config?, orpo_config?, simpo_config?, generation?, copy_sft_to_ref?, backend? }.',
      },
      { name: 'out', value: 'DIR', type: 'path', default: 'runs/pipeline', description: 'The run folder.' },
      { name: 'resume', type: 'boolean', description: 'Continue an interrupted run in --out (same config and data).' },
      overwrite,
    ],
    notes: [
      'sft_config, reward_config and dpo_config take the options of `rlhf sft`, `rlhf reward` and `rlhf dpo`',
      "(see their help; TRL's names are accepted there too).",
      "rlhf_method 'grpo' or 'rloo' makes the RL stage online (grpo_config / rloo_config: the options of `rlhf grpo` / `rlhf rloo`),",
      "rewarded by the trained reward model; 'kto' (the pairs unpaired), 'orpo' and 'simpo' (no reference model) use",
      "kto_config / orpo_config / simpo_config (the options of `rlhf kto`, `rlhf orpo`, `rlhf cpo`); the default 'dpo' is the DPO stage.",
    ],
    example: 'rlhf pipeline --config data/demo/en/pipeline.json --out runs/demo',
  },
  demo: {
    summary: 'The pipeline on the bundled demo (stories260K, a small SFT and preference set).',
    usage: 'demo [--vi] [--out DIR] [--resume | --overwrite]',
    flags: [
      { name: 'vi', type: 'boolean', description: 'The Vietnamese variant (data/demo/vi).' },
      {
        name: 'out',
        value: 'DIR',
        type: 'path',
        default: 'runs/demo-<en|vi>',
        description: 'The run folder (the default one is replaced).',
      },
      { name: 'resume', type: 'boolean', description: 'Continue an interrupted run in --out.' },
      overwrite,
    ],
    example: 'rlhf demo --out runs/demo',
  },
  'export-trl': {
    summary: 'Write a Hugging Face TRL script (SFT → reward → DPO) and an Accelerate config for a pipeline file.',
    usage: 'export-trl --config FILE --out DIR [--overwrite]',
    flags: [
      {
        name: 'config',
        value: 'FILE',
        type: 'path',
        required: true,
        description: 'The pipeline file (as `rlhf pipeline`).',
      },
      out('The folder for train_trl.py, accelerate_config.yaml and README.md.'),
      overwrite,
    ],
    notes: [
      "The specification's option names become TRL's (toc_do_hoc → learning_rate, so_vong → num_train_epochs, ...)",
      'through the same alias table the trainers accept; run the script with `accelerate launch`.',
    ],
    example: 'rlhf export-trl --config data/demo/en/pipeline.json --out runs/trl',
  },
} as const satisfies Record<string, CommandSpec>;

/** A command name of `rlhf`. */
export type CommandName = keyof typeof COMMAND_SPECS;

/**
 * The flags a command accepts (its own and the common ones), in kebab-case.
 *
 * @example
 * ```ts
 * commandFlags('score'); // ['model', 'texts', 'json', 'backend', 'verbose', 'help']
 * ```
 */
export function commandFlags(command: CommandName): string[] {
  const spec: CommandSpec = COMMAND_SPECS[command];
  return [...spec.flags.map((f) => f.name), ...COMMON_FLAGS.map((f) => f.name)];
}

/**
 * A name in kebab-case, the one spelling the help shows (`so_vong` → `so-vong`).
 *
 * @example
 * ```ts
 * kebab('max_new_tokens'); // 'max-new-tokens'
 * ```
 */
export function kebab(name: string): string {
  return name.replace(/_/g, '-');
}
