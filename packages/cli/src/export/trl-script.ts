import { TRL_VERSION, type TrlStage, type TrlStageArgs } from './trl-mapping.js';

/**
 * A JSON value as a Python literal (`true` → `True`, `null` → `None`; JSON strings are valid Python
 * strings).
 *
 * @example
 * ```ts
 * pythonLiteral({ r: 8, bias: null }); // '{"r": 8, "bias": None}'
 * ```
 */
export function pythonLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${JSON.stringify(k)}: ${pythonLiteral(v)}`)
    .join(', ')}}`;
}

/** What the script trains: the model folder, the data files and each stage's settings. */
export interface TrlScriptInput {
  /** The command that wrote it (for the header). */
  command: string;
  /** The Hugging Face model folder (relative to where the script runs, or absolute). */
  model: string;
  /** SFT records (JSON or JSONL). */
  sft_data: string;
  /** SFT validation records, or null. */
  sft_val_data: string | null;
  /** Preference pairs (JSON or JSONL of { prompt, chosen, rejected }). */
  preference_data: string;
  /** The folder the stages write to (`sft/`, `reward_model/`, `policy/`). */
  output_dir: string;
  /** Each stage's TRL settings. */
  stages: Record<TrlStage, TrlStageArgs>;
}

const CONFIG_CLASS: Record<TrlStage, string> = { sft: 'SFTConfig', reward: 'RewardConfig', dpo: 'DPOConfig' };

function argsBlock(stage: TrlStage, s: TrlStageArgs): string[] {
  const name = `${stage.toUpperCase()}_ARGS`;
  const lines = [`${name} = dict(`];
  for (const a of s.args)
    lines.push(`    ${a.name}=${pythonLiteral(a.value)},${a.name === a.from ? '' : `  # ${a.from}`}`);
  lines.push(')');
  for (const k of s.skipped) lines.push(`# not exported: ${k.key} (${k.why})`);
  lines.push(
    `${stage.toUpperCase()}_LORA = ${s.lora ? `LoraConfig(task_type=${stage === 'reward' ? '"SEQ_CLS"' : '"CAUSAL_LM"'}, **${pythonLiteral(s.lora)})` : 'None'}`,
  );
  return lines;
}

/**
 * The Python script for Hugging Face TRL: SFTTrainer → RewardTrainer → DPOTrainer on the same model
 * folder and data files with the same hyperparameters (the config's, completed with this library's
 * defaults), each stage's model saved for the next; run with `accelerate launch`.
 *
 * @example
 * ```ts
 * const text = trlScript({ command: 'rlhf export-trl ...', model: 'models/base', ... });
 * ```
 */
export function trlScript(input: TrlScriptInput): string {
  const s = input.stages;
  const template = s.dpo.chat_template ?? s.reward.chat_template;
  const lines = [
    '#!/usr/bin/env python3',
    `"""SFT -> reward model -> DPO with Hugging Face TRL (written for TRL ${TRL_VERSION}; SFTConfig, RewardConfig`,
    'and DPOConfig names as documented there), the same model, data and hyperparameters as the rlhf pipeline.',
    '',
    `Written by: ${input.command.replace(/\\/g, '/').replace(/"""/g, "'''")}`,
    'Run it from the folder the data paths are relative to:',
    '    accelerate launch --config_file accelerate_config.yaml train_trl.py',
    'Option names: the specification key each value came from is noted where the names differ.',
    '"""',
    'import os',
    '',
    'from datasets import load_dataset',
    'from peft import LoraConfig',
    'from transformers import AutoModelForCausalLM, AutoModelForSequenceClassification, AutoTokenizer',
    'from trl import DPOConfig, DPOTrainer, RewardConfig, RewardTrainer, SFTConfig, SFTTrainer',
    '',
    `MODEL = ${pythonLiteral(input.model)}`,
    `SFT_DATA = ${pythonLiteral(input.sft_data)}`,
    `SFT_VAL_DATA = ${pythonLiteral(input.sft_val_data)}`,
    `PREFERENCE_DATA = ${pythonLiteral(input.preference_data)}`,
    `OUTPUT_DIR = ${pythonLiteral(input.output_dir)}`,
    `CHAT_TEMPLATE = ${pythonLiteral(template)}`,
    '',
    ...argsBlock('sft', s.sft),
    '',
    ...argsBlock('reward', s.reward),
    '',
    ...argsBlock('dpo', s.dpo),
    '',
    '',
    'def data(path):',
    '    return load_dataset("json", data_files=path, split="train")',
    '',
    '',
    'def save_merged(trainer, folder, tokenizer):',
    '    """Saves the trained model with any LoRA adapters merged in, so the next stage loads a plain model."""',
    '    model = trainer.model',
    '    if hasattr(model, "merge_and_unload"):',
    '        model = model.merge_and_unload()',
    '    if trainer.accelerator.is_main_process:',
    '        model.save_pretrained(folder)',
    '        tokenizer.save_pretrained(folder)',
    '    trainer.accelerator.wait_for_everyone()',
    '',
    '',
    'def main():',
    '    tokenizer = AutoTokenizer.from_pretrained(MODEL)',
    '    if tokenizer.pad_token is None:',
    '        tokenizer.pad_token = tokenizer.eos_token',
    '    if CHAT_TEMPLATE is not None:',
    '        tokenizer.chat_template = CHAT_TEMPLATE',
    '    sft_dir = os.path.join(OUTPUT_DIR, "sft")',
    '    reward_dir = os.path.join(OUTPUT_DIR, "reward_model")',
    '    policy_dir = os.path.join(OUTPUT_DIR, "policy")',
    '    preferences = data(PREFERENCE_DATA)',
    '',
    '    sft_val = data(SFT_VAL_DATA) if SFT_VAL_DATA else None',
    `    sft_args = ${CONFIG_CLASS.sft}(output_dir=sft_dir, eval_strategy="epoch" if sft_val else "no", **SFT_ARGS)`,
    '    sft = SFTTrainer(',
    '        model=AutoModelForCausalLM.from_pretrained(MODEL),',
    '        args=sft_args,',
    '        train_dataset=data(SFT_DATA),',
    '        eval_dataset=sft_val,',
    '        processing_class=tokenizer,',
    '        peft_config=SFT_LORA,',
    '    )',
    '    sft.train()',
    '    save_merged(sft, sft_dir, tokenizer)',
    '',
    '    reward_model = AutoModelForSequenceClassification.from_pretrained(sft_dir, num_labels=1)',
    '    reward_model.config.pad_token_id = tokenizer.pad_token_id',
    '    reward = RewardTrainer(',
    '        model=reward_model,',
    `        args=${CONFIG_CLASS.reward}(output_dir=reward_dir, **REWARD_ARGS),`,
    '        train_dataset=preferences,',
    '        processing_class=tokenizer,',
    '        peft_config=REWARD_LORA,',
    '    )',
    '    reward.train()',
    '    save_merged(reward, reward_dir, tokenizer)',
    '',
    '    # The reference model is a frozen copy of the SFT policy (ref_model=None), as in the rlhf pipeline.',
    '    dpo = DPOTrainer(',
    '        model=AutoModelForCausalLM.from_pretrained(sft_dir),',
    '        ref_model=None,',
    `        args=${CONFIG_CLASS.dpo}(output_dir=policy_dir, **DPO_ARGS),`,
    '        train_dataset=preferences,',
    '        processing_class=tokenizer,',
    '        peft_config=DPO_LORA,',
    '    )',
    '    dpo.train()',
    '    save_merged(dpo, policy_dir, tokenizer)',
    '',
    '',
    'if __name__ == "__main__":',
    '    main()',
    '',
  ];
  return lines.join('\n');
}

/**
 * An Accelerate config for `accelerate launch`: one machine, `processes` processes (one per GPU), full
 * precision (as the rlhf trainers train). Edit `num_processes`, `mixed_precision` or add DeepSpeed there.
 *
 * @example
 * ```ts
 * accelerateConfig(1);
 * ```
 */
export function accelerateConfig(processes = 1): string {
  return `${[
    '# Accelerate config for train_trl.py: `accelerate launch --config_file accelerate_config.yaml train_trl.py`.',
    '# One process per GPU: set num_processes to the GPU count (the effective batch is then',
    '# per_device_train_batch_size x gradient_accumulation_steps x num_processes). For DeepSpeed, run',
    '# `accelerate config` and choose it there.',
    'compute_environment: LOCAL_MACHINE',
    `distributed_type: ${processes > 1 ? 'MULTI_GPU' : 'NO'}`,
    'machine_rank: 0',
    'main_training_function: main',
    "mixed_precision: 'no'",
    'num_machines: 1',
    `num_processes: ${processes}`,
    'rdzv_backend: static',
    'same_network: true',
    'use_cpu: false',
  ].join('\n')}\n`;
}
