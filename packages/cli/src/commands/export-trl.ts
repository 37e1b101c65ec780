import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsCall } from '@rlhf/core';
import { withOutputFolder } from '@rlhf/core/node';
import { convertLlama2c } from '@rlhf/models';
import { writeHfDirectory } from '@rlhf/models/node';
import { readRecords } from '@rlhf/sft/node';
import { type ParsedArgs, rejectUnknownFlags, stringFlag, UsageError } from '../args.js';
import { commandFlags } from '../command-specs.js';
import { TRL_VERSION, type TrlStage, trlStageArgs } from '../export/trl-mapping.js';
import { accelerateConfig, trlScript } from '../export/trl-script.js';
import type { CommandOutput } from '../output.js';
import { readPipelineFile } from './pipeline.js';

/**
 * `rlhf export-trl --config FILE --out DIR [--overwrite]`: the pipeline file as a Hugging Face TRL run —
 * `DIR/train_trl.py` (SFTTrainer → RewardTrainer → DPOTrainer, the same model, data files and
 * hyperparameters, the specification's names mapped to TRL's through the one alias table),
 * `DIR/accelerate_config.yaml` and `DIR/README.md`. A llama2.c model is converted to `DIR/model/` first.
 * Result: `{ out, script, accelerate_config, model, trl_version }`.
 *
 * @example
 * ```sh
 * rlhf export-trl --config data/demo/en/pipeline.json --out runs/trl --json
 * ```
 */
export async function exportTrlCommand(args: ParsedArgs, out: CommandOutput): Promise<void> {
  rejectUnknownFlags(args, commandFlags('export-trl'));
  const configPath = stringFlag(args, 'config');
  const dir = stringFlag(args, 'out');
  const config = await readPipelineFile(configPath);
  // The script's RL stage is TRL's DPOTrainer; an online RL stage is refused rather than written as DPO.
  if (config.rlhf_method !== undefined && config.rlhf_method !== 'dpo')
    throw new UsageError(
      `${configPath}: rlhf_method '${String(config.rlhf_method)}' is not exported yet (the script's RL stage is DPO); remove it or use 'dpo'.`,
    );
  // Every stage's options are validated (and completed with our defaults) before the folder is touched.
  const stages = {} as Record<TrlStage, ReturnType<typeof trlStageArgs>>;
  for (const [stage, key] of [
    ['sft', 'sft_config'],
    ['reward', 'reward_config'],
    ['dpo', 'dpo_config'],
  ] as const) {
    const given = config[key] ?? {};
    if (typeof given !== 'object' || given === null || Array.isArray(given))
      throw new UsageError(`${configPath}: '${key}' must be an options object.`);
    stages[stage] = trlStageArgs(stage, given);
  }
  // TRL accepts assistant_only_loss only for conversational ({ messages }) data; ours ignores it elsewhere.
  const sftRecords = (await readRecords(config.sft_data)).records;
  const conversational = sftRecords.some((r) => typeof r === 'object' && r !== null && 'messages' in r);
  if (!conversational) {
    const sft = stages.sft;
    sft.args = sft.args.filter((a) => a.from !== 'assistant_only_loss');
    sft.skipped.push({
      key: 'assistant_only_loss',
      why: 'TRL takes it for { messages } records only; the SFT data has none',
    });
  }
  const m = config.model as { format?: string; checkpoint?: string; tokenizer?: string } | string;
  const llama2c = typeof m === 'object' && m !== null && m.format === 'llama2c';
  if (!llama2c && typeof m !== 'string')
    throw new UsageError(
      `${configPath}: 'model' must be a model directory or { "format": "llama2c", "checkpoint": FILE, "tokenizer": FILE }.`,
    );
  const modelDir = llama2c ? join(dir, 'model') : (m as string);
  const script = join(dir, 'train_trl.py');
  const accelerate = join(dir, 'accelerate_config.yaml');
  const readme = join(dir, 'README.md');
  const command = `rlhf export-trl --config ${configPath} --out ${dir}`;
  const inputs = [configPath, ...(llama2c ? [String(m.checkpoint), String(m.tokenizer)] : [])];
  await withOutputFolder(
    dir,
    { kind: 'export-trl', command, inputs, overwrite: args.flags.has('overwrite') },
    async () => {
      if (llama2c) {
        const { checkpoint, tokenizer } = m as { checkpoint: string; tokenizer: string };
        const stage = 'rlhf export-trl: reading the llama2.c files';
        const content = convertLlama2c(
          await fsCall(() => readFile(checkpoint), checkpoint, 'read', stage),
          await fsCall(() => readFile(tokenizer), tokenizer, 'read', stage),
          { checkpointName: checkpoint, tokenizerName: tokenizer },
        );
        await writeHfDirectory(modelDir, content);
      }
      const text = trlScript({
        command,
        model: modelDir,
        sft_data: config.sft_data,
        sft_val_data: config.sft_val_data ?? null,
        preference_data: config.preference_data,
        output_dir: join(dir, 'runs'),
        stages,
      });
      const write = (file: string, body: string) =>
        fsCall(() => writeFile(file, body), file, 'write', 'rlhf export-trl: writing the TRL run');
      await write(script, text);
      await write(accelerate, accelerateConfig());
      await write(readme, readmeText(command, modelDir, stages));
    },
  );
  out.result(
    { out: dir, script, accelerate_config: accelerate, model: modelDir, trl_version: TRL_VERSION },
    `Wrote ${script} and ${accelerate} (TRL ${TRL_VERSION}). Run: accelerate launch --config_file ${accelerate} ${script}`,
  );
}

function readmeText(command: string, model: string, stages: Record<TrlStage, ReturnType<typeof trlStageArgs>>): string {
  const lines = [
    '# A Hugging Face TRL run of this pipeline',
    '',
    `Written by \`${command}\`. \`train_trl.py\` trains ${model} with SFTTrainer, then a reward model with`,
    'RewardTrainer, then the policy with DPOTrainer (reference: a frozen copy of the SFT policy), on the same data',
    "files with the same hyperparameters as `rlhf pipeline` (the config completed with this library's defaults).",
    '',
    '```sh',
    'pip install trl peft accelerate datasets',
    'accelerate launch --config_file accelerate_config.yaml train_trl.py',
    '```',
    '',
    'Run it from the folder the data paths are relative to. With N GPUs set `num_processes: N` in',
    '`accelerate_config.yaml`: the effective batch is then N times larger (lower `gradient_accumulation_steps`',
    'to keep it). Option names are mapped by the alias table of `docs/vietnamese-names.md`.',
    '',
    '| stage | option | TRL argument | value |',
    '| --- | --- | --- | --- |',
  ];
  for (const [stage, s] of Object.entries(stages))
    for (const a of s.args) lines.push(`| ${stage} | ${a.from} | ${a.name} | \`${JSON.stringify(a.value)}\` |`);
  const skipped = Object.entries(stages).flatMap(([stage, s]) =>
    s.skipped.map((k) => `- ${stage}: \`${k.key}\` — ${k.why}`),
  );
  if (skipped.length) lines.push('', 'Not exported:', ...skipped);
  return `${lines.join('\n')}\n`;
}
