import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogRecord } from '@rlhf/core';
import { readPreferenceFile } from '@rlhf/dpo/node';
import { modelFromContent } from '@rlhf/models';
import { type PipelineEvent, RLHFPipeline } from '@rlhf/pipeline';
import { readRecords } from '@rlhf/sft/node';
import { type ParsedArgs, rejectUnknownFlags, stringFlag, UsageError } from '../args.js';
import { cliBackend } from '../cli-backend.js';
import { readModelSource } from '../model-source.js';
import type { CommandOutput } from '../output.js';
import { type Progress, progressBar } from '../progress.js';
import { renderHtmlReport } from '../report/html-report.js';
import { pipelineReport, type StageLogs } from '../report/pipeline-report.js';
import { stageOutputs } from './pipeline-outputs.js';

/** The pipeline config file (`rlhf pipeline --config FILE`); data paths are relative to the working directory. */
export interface PipelineFile {
  model: unknown;
  sft_data: string;
  sft_val_data?: string;
  preference_data: string;
  eval_prompts?: string | string[];
  sft_config?: Record<string, unknown>;
  reward_config?: Record<string, unknown>;
  dpo_config?: Record<string, unknown>;
  generation?: Record<string, unknown>;
  copy_sft_to_ref?: boolean;
  backend?: string;
}

async function readConfig(path: string): Promise<PipelineFile> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--config ${path}: ${(error as Error).message}`);
  }
  const c = value as Partial<PipelineFile>;
  if (c.sft_val_data !== undefined && typeof c.sft_val_data !== 'string')
    throw new UsageError(`${path}: 'sft_val_data' must name a data file.`);
  for (const key of ['sft_data', 'preference_data'] as const) {
    if (typeof c[key] !== 'string') throw new UsageError(`${path}: '${key}' must name a data file.`);
  }
  if (c.model === undefined) throw new UsageError(`${path}: 'model' is missing.`);
  return c as PipelineFile;
}

/**
 * `rlhf pipeline --config FILE [--out DIR] [--resume]`: `RLHFPipeline.chay_day_du` on the config's model
 * and data. Writes under `--out`: `stages/` (atomic stage checkpoints), `logs.jsonl`, `sft/`, `reward_model/`
 * and `policy/` (Hugging Face directories, LoRA adapters merged in; with LoRA also the PEFT adapter folders
 * `sft_adapter/` and `policy_adapter/`), `results.json` and `report.html`. `sft_val_data` validates the
 * SFT stage (its `val_loss` history). Result:
 * `{ ket_qua: lay_ket_qua(), thong_ke: thong_ke() }`.
 *
 * @example
 * ```sh
 * rlhf pipeline --config data/demo/en/pipeline.json --out runs/demo --json
 * ```
 */
export async function pipelineCommand(
  args: ParsedArgs,
  out: CommandOutput,
  configPath = stringFlag(args, 'config'),
): Promise<void> {
  rejectUnknownFlags(args, ['config', 'out', 'resume', 'vi']);
  const config = await readConfig(configPath);
  const outDir = stringFlag(args, 'out', 'runs/pipeline');
  const backendFlag = args.flags.get('backend');
  const backend = await cliBackend(typeof backendFlag === 'string' ? backendFlag : config.backend);
  const evalPrompts =
    typeof config.eval_prompts === 'string'
      ? (JSON.parse(await readFile(config.eval_prompts, 'utf8')) as string[])
      : (config.eval_prompts ?? null);
  const logs: Record<keyof StageLogs, LogRecord[]> = { sft: [], reward: [], rlhf: [] };
  const logFile = join(outDir, 'logs.jsonl');
  await mkdir(outDir, { recursive: true });
  const resume = args.flags.has('resume');
  if (!resume) await writeFile(logFile, '');
  let bar: Progress | null = null;
  const pending: Promise<void>[] = [];
  const onEvent = (event: PipelineEvent) => {
    pending.push(appendFile(logFile, `${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`));
    if (event.type === 'log') {
      logs[event.stage].push(event.record);
      const r = event.record;
      bar?.update(r.step, r.kind === 'train' ? `loss ${r.loss.toFixed(4)}` : `val_loss ${r.val_loss.toFixed(4)}`);
    } else if (event.type === 'stage_start') {
      out.info(`stage ${event.stage} started`);
      bar = progressBar(process.stderr, event.stage, 0);
    } else if (event.type === 'stage_end') {
      bar?.finish('done');
      bar = null;
      out.info(`stage ${event.stage} finished`);
    } else {
      out.info(`stage ${event.stage} restored from ${join(outDir, 'stages')}`);
    }
  };
  const pipeline = new RLHFPipeline(
    {
      sft_config: config.sft_config ?? {},
      reward_config: config.reward_config ?? {},
      dpo_config: config.dpo_config ?? {},
      output_dir: outDir,
      resume,
      copy_sft_to_ref: config.copy_sft_to_ref ?? true,
      eval_prompts: evalPrompts,
      eval_generation: config.generation ?? {},
    },
    onEvent,
    stageOutputs(outDir, typeof config.model === 'string' ? config.model : '', Boolean(config.dpo_config?.lora)),
  );
  const content = await readModelSource(config.model);
  const model = modelFromContent(content, backend);
  const reference = modelFromContent(content, backend);
  const sftData = (await readRecords(config.sft_data)).records;
  const sftValData = config.sft_val_data ? (await readRecords(config.sft_val_data)).records : null;
  const preferences = (await readPreferenceFile(config.preference_data)).records;
  const started = Date.now();
  await pipeline.chay_day_du(model, reference, null, sftData as never, preferences as never, sftValData as never);
  await Promise.all(pending);
  const result = { ket_qua: pipeline.lay_ket_qua(), thong_ke: pipeline.thong_ke() };
  await writeFile(join(outDir, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const subtitle = `${configPath} · backend ${backend.name} · ${seconds} s`;
  await writeFile(
    join(outDir, 'report.html'),
    renderHtmlReport(pipelineReport(logs, result.ket_qua, result.thong_ke, subtitle)),
  );
  const ev = result.ket_qua.evaluation;
  out.result(
    result,
    [
      `Pipeline finished in ${seconds} s (backend ${backend.name}).`,
      ev
        ? `Mean reward on ${ev.prompts} held-out prompts: SFT ${ev.mean_score_before.toFixed(3)} → DPO ${ev.mean_score_after.toFixed(3)} (DPO wins ${(ev.win_rate * 100).toFixed(0)}%).`
        : '',
      `Report: ${join(outDir, 'report.html')}; models: ${join(outDir, 'policy')}; logs: ${logFile}`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

/**
 * `rlhf demo [--vi] [--out DIR] [--json] [--backend NAME]`: the pipeline on the bundled demo (stories260K
 * and a small SFT and preference set; `--vi` for the Vietnamese variant).
 *
 * @example
 * ```sh
 * rlhf demo --out runs/demo
 * ```
 */
export async function demoCommand(args: ParsedArgs, out: CommandOutput): Promise<void> {
  const variant = args.flags.has('vi') ? 'vi' : 'en';
  if (!args.flags.has('out')) args.flags.set('out', `runs/demo-${variant}`);
  await pipelineCommand(args, out, `data/demo/${variant}/pipeline.json`);
}
