/// <reference types="node" />

import { type LogRecord, TrainingDataError, type TrainingProgress } from '@rlhf/core';
import { DataFileError, type FileRecords, historyFileCallback, readRecords, withOutputFolder } from '@rlhf/core/node';
import { attachedLora, type CausalLM, type Tokenizer } from '@rlhf/models';
import { saveAdapter, saveModel } from '@rlhf/models/node';
import type { SFTConfig } from '../sft-config.js';
import { type SFTResult, SFTTrainer } from '../sft-trainer.js';

/** Arguments of {@link runSftCommand} (what `rlhf sft` passes after parsing its flags and config file). */
export interface SftCommandArgs {
  /** The model to fine-tune (e.g. from `loadModel(dir)` of `@rlhf/models/node`). */
  model: CausalLM;
  /** Training data: JSON (array of records) or JSONL, in any SFT format. */
  data: string;
  /** Validation data, same formats. */
  val_data?: string | null;
  /** Tokenizer; defaults to the model's. */
  tokenizer?: Tokenizer | null;
  /** SFTTrainer options (the config file merged with flags). */
  options?: SFTConfig;
  /**
   * Saves the trained model here as a Hugging Face directory; with LoRA (`options.lora`), the adapters as a
   * PEFT adapter folder instead (`adapter_config.json`, `adapter_model.safetensors`).
   */
  out?: string | null;
  /** With LoRA: also saves the merged model (`W + ΔW`) here as a Hugging Face directory. */
  merged_out?: string | null;
  /** With LoRA: `base_model_name_or_path` of the adapter's `adapter_config.json` (the base model's folder). */
  base_model?: string;
  /**
   * Replace a finished or interrupted run in `out` (its content is removed first); without it such a
   * folder is refused (`OutputFolderError`). @defaultValue false
   */
  overwrite?: boolean;
  /** Paths this run reads (the model folder): `out` may not be one of them, inside one, or hold one. */
  inputs?: readonly string[];
  /**
   * Writes every history record here as JSONL (created or truncated at the first record; when resuming
   * from a checkpoint, the records before the checkpoint's step are kept).
   */
  history_file?: string | null;
  /** Called with every history record and the run's progress (`global_step` of `total_steps`: progress display). Returning `false` stops training. */
  on_record?: (record: LogRecord, progress?: Readonly<TrainingProgress>) => unknown;
}

/** What {@link runSftCommand} returns: the `huan_luyen` result and the trainer's statistics. */
export interface SftCommandResult {
  /** The `huan_luyen` result. */
  result: SFTResult;
  /** The trainer's `thong_ke()` after training. */
  stats: ReturnType<SFTTrainer['thong_ke']>;
}

/**
 * The core of `rlhf sft`: reads the data files, trains with {@link SFTTrainer}, writes the history as JSONL
 * and saves the model. A record the trainer rejects is reported with its file and line
 * ({@link DataFileError}); option errors keep their `ConfigError`. Nothing is written before the data and
 * options are validated.
 *
 * @example
 * ```ts
 * import { loadModel } from '@rlhf/models/node';
 * const model = await loadModel('models/stories260K');
 * const { result } = await runSftCommand({ model, data: 'train.jsonl', out: 'out/sft', options: { so_vong: 1 } });
 * ```
 */
export async function runSftCommand(args: SftCommandArgs): Promise<SftCommandResult> {
  const trainer = new SFTTrainer(args.options ?? {});
  const train = await readRecords(args.data);
  if (train.records.length === 0) throw new DataFileError(args.data, null, 'is empty: it holds no training records');
  const val = args.val_data ? await readRecords(args.val_data) : null;
  const resume = Boolean(trainer.options.resume_from_checkpoint);
  const inputs = [...(args.inputs ?? []), args.data, ...(args.val_data ? [args.val_data] : [])];
  const folder = {
    kind: 'sft',
    command: `rlhf sft --out ${args.out}`,
    inputs,
    overwrite: args.overwrite ?? false,
    resume,
  };
  // The merged model's folder (with LoRA) follows the same rules as `out`, checked and locked before training.
  const merged = { ...folder, kind: 'sft-merged', command: `rlhf sft --merge-lora ${args.merged_out}` };
  return withOutputFolder(args.out, folder, () =>
    withOutputFolder(args.merged_out, merged, async () => {
      const callback = historyFileCallback(args.history_file, args.on_record, { resume });
      let result: SFTResult;
      try {
        result = await trainer.huan_luyen(
          args.model,
          train.records as never,
          val ? (val.records as never) : null,
          args.tokenizer ?? null,
          callback,
        );
      } catch (error) {
        throw locate(error, { du_lieu_train: [args.data, train], du_lieu_val: [args.val_data ?? '', val] });
      }
      const lora = trainer.loraModel ?? attachedLora(args.model);
      if (lora) {
        if (args.out) await saveAdapter(lora, args.out, { baseModel: args.base_model ?? '' });
        if (args.merged_out) await saveModel(args.model, args.merged_out); // saveModel merges the adapters
      } else if (args.out) {
        await saveModel(args.model, args.out);
      }
      return { result, stats: trainer.thong_ke() };
    }),
  );
}

/** Turns a record error into one naming the file and line. */
function locate(error: unknown, files: Record<string, [string, FileRecords | null]>): unknown {
  if (!(error instanceof TrainingDataError) || error.index === null) return error;
  const [file, read] = files[error.dataset] ?? ['', null];
  if (!read) return error;
  const where = error.key === null ? `(record ${error.index})` : `(record ${error.index}, ${error.key})`;
  return new DataFileError(file, read.lines[error.index] ?? null, `${where} ${error.reason}`, { cause: error });
}
