import { randomBytes } from 'node:crypto';
import { appendFile, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson, FileSystemError, fsCall, type LogRecord, sha256Hex } from '@rlhf/core';
import { FileCheckpointStorage, sha256OfFile, temporaryName, withOutputFolder } from '@rlhf/core/node';
import { readPreferenceFile } from '@rlhf/dpo/node';
import { modelFromContent } from '@rlhf/models';
import { type PipelineEvent, RLHFPipeline } from '@rlhf/pipeline';
import { readRecords } from '@rlhf/sft/node';
import { type ParsedArgs, rejectUnknownFlags, stringFlag, UsageError } from '../args.js';
import { cliBackend } from '../cli-backend.js';
import { commandFlags } from '../command-specs.js';
import { readModelSource } from '../model-source.js';
import type { CommandOutput } from '../output.js';
import { type Progress, progressBar, recordFigures } from '../progress.js';
import { renderHtmlReport } from '../report/html-report.js';
import { pipelineReport, rlMethodName, type StageLogs } from '../report/pipeline-report.js';
import { stageOutputs } from './pipeline-outputs.js';

/** The pipeline config file (`rlhf pipeline --config FILE`); data paths are relative to the working directory. */
export interface PipelineFile {
  model: unknown;
  sft_data: string;
  sft_val_data?: string;
  preference_data: string;
  /** Held-out preference pairs: validation of the reward-model and DPO stages (curves in the report). */
  preference_val_data?: string;
  /** One or two sentences saying what the preference data encodes (shown at the top of the report). */
  preference_description?: string;
  /** Language of the data and samples (BCP 47, e.g. `vi`), for the report's `lang`. @defaultValue 'en' */
  language?: string;
  eval_prompts?: string | string[];
  sft_config?: Record<string, unknown>;
  reward_config?: Record<string, unknown>;
  dpo_config?: Record<string, unknown>;
  /**
   * The RL stage's method: `'dpo'` (default), `'grpo'` or `'rloo'` (online, rewarded by the trained reward
   * model), `'kto'` (the pairs unpaired), `'orpo'` or `'simpo'` (no reference model).
   */
  rlhf_method?: 'dpo' | 'grpo' | 'rloo' | 'kto' | 'orpo' | 'simpo';
  /** Options of the GRPO stage (those of `rlhf grpo`). */
  grpo_config?: Record<string, unknown>;
  /** Options of the RLOO stage (those of `rlhf rloo`). */
  rloo_config?: Record<string, unknown>;
  /** Options of the KTO stage (those of `rlhf kto`). */
  kto_config?: Record<string, unknown>;
  /** Options of the ORPO stage (those of `rlhf orpo`). */
  orpo_config?: Record<string, unknown>;
  /** Options of the SimPO stage (those of `rlhf cpo`; `loss_type` 'simpo' and `cpo_alpha` 0 unless given). */
  simpo_config?: Record<string, unknown>;
  generation?: Record<string, unknown>;
  copy_sft_to_ref?: boolean;
  backend?: string;
}

/** Reads and checks a pipeline file (`rlhf pipeline --config`, `rlhf export-trl --config`); usage errors name the key. */
export async function readPipelineFile(path: string): Promise<PipelineFile> {
  const text = await fsCall(() => readFile(path, 'utf8'), path, 'read', 'rlhf pipeline: reading the config');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config ${path}: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(`--config ${path} must hold a JSON object.`);
  const c = value as Partial<PipelineFile>;
  if (c.sft_val_data !== undefined && typeof c.sft_val_data !== 'string')
    throw new UsageError(`${path}: 'sft_val_data' must name a data file.`);
  for (const key of ['sft_data', 'preference_data'] as const) {
    if (typeof c[key] !== 'string') throw new UsageError(`${path}: '${key}' must name a data file.`);
  }
  if (c.model === undefined) throw new UsageError(`${path}: 'model' is missing.`);
  for (const key of ['sft_val_data', 'preference_val_data', 'backend', 'preference_description', 'language'] as const) {
    if (c[key] !== undefined && typeof c[key] !== 'string') throw new UsageError(`${path}: '${key}' must be a string.`);
  }
  return c as PipelineFile;
}

/** The data files a pipeline config names (each hashed for `--resume`). */
function dataFiles(config: PipelineFile): Record<string, string> {
  const files: Record<string, string> = { sft_data: config.sft_data, preference_data: config.preference_data };
  if (config.sft_val_data) files.sft_val_data = config.sft_val_data;
  if (config.preference_val_data) files.preference_val_data = config.preference_val_data;
  if (typeof config.eval_prompts === 'string') files.eval_prompts = config.eval_prompts;
  const m = config.model as { checkpoint?: unknown; tokenizer?: unknown } | string;
  if (typeof m === 'object' && m !== null) {
    if (typeof m.checkpoint === 'string') files['model.checkpoint'] = m.checkpoint;
    if (typeof m.tokenizer === 'string') files['model.tokenizer'] = m.tokenizer;
  }
  return files;
}

/**
 * What a resumed run must share with the stored one: SHA-256 of the normalised config (keys sorted, plus
 * the backend) and of each data file's bytes.
 */
async function fingerprintOf(config: PipelineFile, backend: string): Promise<Record<string, string>> {
  const out: Record<string, string> = { config: await sha256Hex(canonicalJson({ ...config, backend })) };
  for (const [key, file] of Object.entries(dataFiles(config)))
    out[`${key} (${file})`] = await sha256OfFile(file, 'rlhf pipeline: fingerprinting the data');
  return out;
}

/**
 * On `--resume`: keeps the lines of `logs.jsonl` that belong to stored stages and drops those of stages
 * the interrupted run had not finished (they run again and log again) — so each step is logged once.
 * Rewritten atomically (a temporary file in the folder, then a rename).
 */
async function keepStoredStageLogs(logFile: string, outDir: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(logFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw FileSystemError.from(error, logFile, 'read', 'rlhf pipeline: resuming the logs');
  }
  const stored = new Set(
    (await new FileCheckpointStorage(join(outDir, 'stages')).list()).map((n) => n.replace(/^stage-/, '')),
  );
  const kept = text.split('\n').filter((line) => {
    try {
      const event = JSON.parse(line) as { stage?: unknown };
      return typeof event.stage === 'string' && stored.has(event.stage);
    } catch {
      return false; // empty, or cut by the kill
    }
  });
  const temp = join(outDir, temporaryName('logs.jsonl', 'tmp', randomBytes(4).toString('hex')));
  await fsCall(
    async () => {
      await writeFile(temp, kept.map((l) => `${l}\n`).join(''));
      await rename(temp, logFile);
    },
    logFile,
    'rewrite',
    'rlhf pipeline: resuming the logs',
  ).catch(async (error: unknown) => {
    await rm(temp, { force: true });
    throw error;
  });
}

/**
 * `rlhf pipeline --config FILE [--out DIR] [--resume | --overwrite]`: `RLHFPipeline.chay_day_du` on the
 * config's model and data. Everything is read and validated before `--out` is touched; the folder is then
 * locked for the run. A folder holding a finished or interrupted run needs `--overwrite` (start over) or
 * `--resume` (continue; refused when the config or a data file's SHA-256 differs from the stored run's). Writes under `--out`: `stages/` (atomic stage checkpoints), `logs.jsonl`, `sft/`, `reward_model/`
 * and `policy/` (Hugging Face directories, LoRA adapters merged in; with LoRA also the PEFT adapter folders
 * `sft_adapter/` and `policy_adapter/`), `results.json` and `report.html`. `sft_val_data` validates the
 * SFT stage (its `val_loss` history), `preference_val_data` the reward-model and DPO stages (validation
 * curves in the report); `preference_description` (what the preferences encode) heads the report. Result:
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
  demoConfig?: string,
  demoLanguage?: string,
): Promise<void> {
  rejectUnknownFlags(args, commandFlags(demoConfig === undefined ? 'pipeline' : 'demo'));
  const configPath = demoConfig ?? stringFlag(args, 'config');
  // Everything is read and validated before the output folder is touched.
  const config = await readPipelineFile(configPath);
  const outDir = stringFlag(args, 'out', 'runs/pipeline');
  const backendFlag = args.flags.get('backend');
  const backend = await cliBackend(typeof backendFlag === 'string' ? backendFlag : config.backend, out.notice);
  const evalPrompts =
    typeof config.eval_prompts === 'string' ? await readPrompts(config.eval_prompts) : (config.eval_prompts ?? null);
  const resume = args.flags.has('resume');
  const overwrite = args.flags.has('overwrite');
  const logs: Record<keyof StageLogs, LogRecord[]> = { sft: [], reward: [], dpo: [] };
  const logFile = join(outDir, 'logs.jsonl');
  let bar: Progress | null = null;
  // Log lines are appended one after another (a chain, so they keep their order); the first failed write
  // stops the run (thrown from the next event) and is reported as is.
  let written: Promise<void> = Promise.resolve();
  let logError: unknown = null;
  const onEvent = (event: PipelineEvent) => {
    if (logError) throw logError;
    const line = `${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`;
    written = written.then(() =>
      logError
        ? undefined
        : fsCall(() => appendFile(logFile, line), logFile, 'append', 'rlhf pipeline: writing the logs').catch(
            (error: unknown) => {
              logError ??= error;
            },
          ),
    );
    if (event.type === 'log') {
      logs[event.stage].push(event.record);
      const r = event.record;
      bar?.update({ step: r.step, total: event.total_steps, ...recordFigures(r) });
    } else if (event.type === 'stage_start') {
      out.info(`stage ${event.stage} started`);
      // The RL stage is stored as 'dpo'; its bar shows the method that runs (grpo, rloo, kto, orpo, simpo).
      const method = config.rlhf_method ?? 'dpo';
      bar = progressBar(process.stderr, event.stage === 'dpo' ? method : event.stage);
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
      ...(config.rlhf_method === undefined ? {} : { rlhf_method: config.rlhf_method }),
      ...(config.grpo_config === undefined ? {} : { grpo_config: config.grpo_config }),
      ...(config.rloo_config === undefined ? {} : { rloo_config: config.rloo_config }),
      ...(config.kto_config === undefined ? {} : { kto_config: config.kto_config }),
      ...(config.orpo_config === undefined ? {} : { orpo_config: config.orpo_config }),
      ...(config.simpo_config === undefined ? {} : { simpo_config: config.simpo_config }),
      output_dir: outDir,
      resume,
      overwrite_output_dir: overwrite,
      copy_sft_to_ref: config.copy_sft_to_ref ?? true,
      eval_prompts: evalPrompts,
      eval_generation: config.generation ?? {},
    },
    onEvent,
    // Whether the RL stage trained its own adapters (its method's config: dpo_config, orpo_config, …).
    stageOutputs(
      outDir,
      typeof config.model === 'string' ? config.model : '',
      Boolean(config[`${config.rlhf_method ?? 'dpo'}_config`]?.lora),
    ),
  );
  const content = await readModelSource(config.model);
  const model = modelFromContent(content, backend);
  const reference = modelFromContent(content, backend);
  const sftData = (await readRecords(config.sft_data)).records;
  const sftValData = config.sft_val_data ? (await readRecords(config.sft_val_data)).records : null;
  const preferences = (await readPreferenceFile(config.preference_data)).records;
  const preferencesVal = config.preference_val_data
    ? (await readPreferenceFile(config.preference_val_data)).records
    : null;
  const inputs = [...Object.values(dataFiles(config)), ...(typeof config.model === 'string' ? [config.model] : [])];
  const folder = {
    kind: 'pipeline',
    command: `rlhf pipeline --config ${configPath} --out ${outDir}`,
    inputs,
    resume,
    overwrite,
    fingerprint: await fingerprintOf(config, backend.name),
  };
  await withOutputFolder(outDir, folder, async () => {
    if (resume) await keepStoredStageLogs(logFile, outDir);
    else await fsCall(() => writeFile(logFile, ''), logFile, 'write', 'rlhf pipeline: starting the logs');
    const started = Date.now();
    try {
      await pipeline.chay_day_du(
        model,
        reference,
        null,
        sftData as never,
        preferences as never,
        sftValData as never,
        preferencesVal as never,
      );
    } catch (error) {
      (bar as Progress | null)?.finish('stopped'); // the progress line ends before the error prints
      throw error;
    } finally {
      await written;
    }
    if (logError) throw logError;
    const result = { ket_qua: pipeline.lay_ket_qua(), thong_ke: pipeline.thong_ke() };
    const resultsFile = join(outDir, 'results.json');
    await fsCall(
      () => writeFile(resultsFile, `${JSON.stringify(result, null, 2)}\n`),
      resultsFile,
      'write',
      'rlhf pipeline: writing the results',
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const subtitle = `${configPath} · backend ${backend.name} · ${seconds} s`;
    const reportFile = join(outDir, 'report.html');
    const language = config.language ?? demoLanguage;
    const html = renderHtmlReport(
      pipelineReport(logs, result.ket_qua, result.thong_ke, {
        subtitle,
        ...(config.preference_description === undefined
          ? {}
          : { preferenceDescription: config.preference_description }),
        ...(language === undefined ? {} : { language }),
      }),
    );
    await fsCall(() => writeFile(reportFile, html), reportFile, 'write', 'rlhf pipeline: writing the report');
    const ev = result.ket_qua.evaluation;
    const rl = rlMethodName(result.thong_ke);
    out.result(
      result,
      [
        `Pipeline finished in ${seconds} s (backend ${backend.name}).`,
        ev
          ? `Mean reward on ${ev.prompts} held-out prompts: SFT ${ev.mean_score_before.toFixed(3)} → ${rl} ${ev.mean_score_after.toFixed(3)} (${rl} wins ${(ev.win_rate * 100).toFixed(0)}%).`
          : '',
        `Report: ${reportFile}; models: ${join(outDir, 'policy')}; logs: ${logFile}`,
      ]
        .filter(Boolean)
        .join('\n'),
    );
  });
}

/** Reads the evaluation prompts file: a JSON array of strings. */
async function readPrompts(path: string): Promise<string[]> {
  const text = await fsCall(() => readFile(path, 'utf8'), path, 'read', 'rlhf pipeline: reading eval_prompts');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FileSystemError(
      {
        path,
        operation: 'parse',
        stage: 'rlhf pipeline: reading eval_prompts',
        errno: 'JSON',
        detail: (error as Error).message,
      },
      { cause: error },
    );
  }
  if (!Array.isArray(value) || value.length === 0 || !value.every((p) => typeof p === 'string'))
    throw new UsageError(`${path} (eval_prompts) must hold a non-empty JSON array of strings.`);
  return value;
}

/**
 * `rlhf demo [--vi] [--out DIR] [--json] [--backend NAME]`: the pipeline on the bundled demo (stories260K
 * and a small SFT and preference set; `--vi` for the Vietnamese variant: `data/models/vi-llama-3m`, a small
 * Llama pretrained in the repository on Vietnamese text, taught to answer politely).
 *
 * @example
 * ```sh
 * rlhf demo --out runs/demo
 * ```
 */
export async function demoCommand(args: ParsedArgs, out: CommandOutput): Promise<void> {
  const variant = args.flags.has('vi') ? 'vi' : 'en';
  if (!args.flags.has('out')) {
    // The default demo folder is ours to replace; a folder the user names follows the usual rules.
    args.flags.set('out', `runs/demo-${variant}`);
    if (!args.flags.has('resume')) args.flags.set('overwrite', true);
  }
  await pipelineCommand(args, out, `data/demo/${variant}/pipeline.json`, variant);
}
