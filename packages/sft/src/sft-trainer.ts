import {
  BaseTrainer,
  type LogRecord,
  minOf,
  Random,
  requireCallback,
  requireModel,
  requireRecords,
  requireTokenizer,
  type TrainerStats,
  type TrainingHistory,
  type TrainingProgress,
} from '@rlhf/core';
import { adaptedLayers, applyLora, type LoraModel, safetensorsCodec, type Tokenizer } from '@rlhf/models';
import { type PreparedDataset, prepareDataset, type RecordSource } from './data/prepare-dataset.js';
import type { SFTRecord } from './data/sft-record.js';
import { checkLoraOption, SFT_OPTION_SPECS, type SFTConfig, type SFTOptions } from './sft-config.js';
import type { SFTModel } from './sft-model.js';
import { sftTask } from './sft-task.js';

/**
 * The result of {@link SFTTrainer.huan_luyen}, as the specification (api.md) gives it.
 */
export interface SFTResult {
  /** Total time of the call, seconds (tổng thời gian). */
  tong_thoi_gian: number;
  /** Whole epochs done (số epoch). */
  so_epoch: number;
  /** Optimizer steps done (including those before a resume). */
  global_step: number;
  /** Smallest logged training loss. */
  train_loss_min: number;
  /** Smallest validation loss, when there was validation data. */
  val_loss_min?: number;
  /** Logged values (the same object `lay_lich_su()` returns): the specification's four columns first. */
  history: SFTHistory;
}

/**
 * The history of an SFT run: the specification's columns (`train_loss`, `val_loss`, `learning_rate`, `grad_norm`),
 * then the steps they were logged at and every record in order. `result.history` and `lay_lich_su()`.
 */
export interface SFTHistory {
  /** Mean training loss per target token, one entry per train record. */
  train_loss: number[];
  /** Validation loss, one entry per evaluation (empty without `du_lieu_val`). */
  val_loss: number[];
  /** Learning rate of each train record's last step. */
  learning_rate: number[];
  /** Gradient norm (before clipping) of each train record's last step. */
  grad_norm: number[];
  /** Optimizer step of each train entry. */
  step: number[];
  /** Optimizer step of each validation entry. */
  val_step: number[];
  /** Validation perplexity `exp(val_loss)` of each evaluation. */
  val_perplexity: number[];
  /** Steps skipped in each train record's window (only with `skip_nonfinite_steps`). */
  skipped_steps?: number[];
  /** Every record (train and eval), in the order they were made (as the callback received them). */
  records: LogRecord[];
}

/** What {@link SFTTrainer.thong_ke} reports (statistics). */
export interface SFTStats extends TrainerStats {
  /** Target tokens (tokens carrying loss) seen. */
  target_tokens_seen: number;
  /** Training records read (before packing). */
  train_records: number;
  /** Training records cut at `max_seq_length`. */
  examples_truncated: number;
  /** Validation records cut at `max_seq_length`. */
  val_examples_truncated: number;
  /** Whether examples were packed (then `examples` counts packed sequences). */
  packing: boolean;
  /** LoRA adapters were trained (trainable parameters are the adapters'). */
  lora: boolean;
}

/** Called with every history record; return `false` to stop after the current optimizer step. */
export type SFTCallback = (record: LogRecord, progress: Readonly<TrainingProgress>) => unknown;

/**
 * Supervised fine-tuning (the specification's `SFTTrainer`): next-token cross-entropy on the target tokens of
 * text, prompt-completion (completion only), conversational (assistant turns only) or pre-tokenised
 * records, with AdamW, warm-up then linear decay, gradient accumulation normalised over all target tokens
 * of a step, clipping, per-epoch validation, optional packing and LoRA, checkpoints and resume. The loop is
 * the trainer base of `@rlhf/core`.
 *
 * @example
 * ```ts
 * const trainer = new SFTTrainer({ so_vong: 1, toc_do_hoc: 1e-4 });
 * const result = await trainer.huan_luyen(model, [{ prompt: 'Xin chào', completion: ' Chào bạn!' }]);
 * console.log(result.train_loss_min, trainer.thong_ke().tokens_per_second);
 * ```
 */
export class SFTTrainer extends BaseTrainer<SFTOptions, SFTHistory> {
  private truncated = { train: 0, val: 0, records: 0 };
  private usedLora = false;
  /** The LoRA adapters this trainer attached in its last run (merge or save them after training), else `null`. */
  loraModel: LoraModel | null = null;

  /** Validates the options (the specification's defaults fill the rest); throws `ConfigError` naming a bad key. */
  constructor(options: SFTConfig = {}) {
    super('SFTTrainer', SFT_OPTION_SPECS, options);
    checkLoraOption(this.owner, this.options.lora);
  }

  /**
   * Trains (huấn luyện) `model` on `du_lieu_train`, validating on `du_lieu_val` after each epoch. Every
   * record is checked and tokenised before the first step, so bad data fails fast, naming the record,
   * and nothing is written to `output_dir`. `tokenizer` defaults to `model.tokenizer`. `callback` gets
   * every history record and may return `false` to stop.
   *
   * @example
   * ```ts
   * const result = await trainer.huan_luyen(model, train, val, undefined, (r) => console.log(r));
   * ```
   */
  async huan_luyen(
    model: SFTModel,
    du_lieu_train: RecordSource<SFTRecord>,
    du_lieu_val?: RecordSource<SFTRecord> | null,
    tokenizer?: Tokenizer | null,
    callback?: SFTCallback | null,
  ): Promise<SFTResult> {
    const started = now();
    const method = `${this.owner}.huan_luyen`;
    requireModel(method, 'model', model);
    requireRecords(method, 'du_lieu_train', du_lieu_train);
    if (du_lieu_val !== null && du_lieu_val !== undefined) requireRecords(method, 'du_lieu_val', du_lieu_val);
    requireTokenizer(method, 'tokenizer', tokenizer);
    requireCallback(method, 'callback', callback);
    requireTokenizer(method, 'model.tokenizer', model.tokenizer);
    const o = this.options;
    const tok = tokenizer ?? model.tokenizer ?? null;
    const prepare = (source: RecordSource, dataset: string, packing: boolean): Promise<PreparedDataset> =>
      prepareDataset(source, {
        dataset,
        tokenizer: tok,
        maxSeqLength: o.max_seq_length,
        vocabSize: model.config.vocab_size,
        completionOnlyLoss: o.completion_only_loss,
        assistantOnlyLoss: o.assistant_only_loss,
        packing,
      });
    const train = await prepare(du_lieu_train, 'du_lieu_train', o.packing);
    const val = du_lieu_val ? await prepare(du_lieu_val, 'du_lieu_val', false) : null;
    this.truncated = { train: train.truncated, val: val?.truncated ?? 0, records: train.records };

    const rng = new Random(o.seed);
    this.usedLora = o.lora !== null;
    this.loraModel = null;
    if (o.lora !== null && !hasAdapters(model)) this.loraModel = applyLora(model, o.lora, rng);

    try {
      await this.fit({
        model,
        task: sftTask(model, tok?.padTokenId ?? 0),
        train: train.examples,
        val: val?.examples ?? null,
        callback: callback ?? null,
        codec: safetensorsCodec,
        rng,
      });
    } finally {
      this.runInfo.seconds = (now() - started) / 1000;
    }
    return this.result();
  }

  /**
   * Statistics (thống kê): steps, epochs, tokens seen, tokens/s, time, trainable and total parameters,
   * backend, examples truncated. Zero counts before training.
   *
   * @example
   * ```ts
   * const { tokens_per_second, examples_truncated } = trainer.thong_ke();
   * ```
   */
  thong_ke(): SFTStats {
    return {
      ...this.baseStats(),
      target_tokens_seen: this.progress.units_seen,
      train_records: this.truncated.records,
      examples_truncated: this.truncated.train,
      val_examples_truncated: this.truncated.val,
      packing: this.options.packing,
      lora: this.usedLora,
    };
  }

  private result(): SFTResult {
    const h = this.progress.history;
    const valMin = minOf(h.val_loss);
    return {
      tong_thoi_gian: this.runInfo.seconds,
      so_epoch: this.progress.epochs_completed,
      global_step: this.progress.global_step,
      train_loss_min: minOf(h.train_loss) ?? Number.NaN,
      ...(valMin === undefined ? {} : { val_loss_min: valMin }),
      history: this.buildHistory(h),
    };
  }

  /** The one history builder of `result.history` and `lay_lich_su()`. */
  protected buildHistory(h: TrainingHistory): SFTHistory {
    return {
      train_loss: [...h.train_loss],
      val_loss: [...h.val_loss],
      learning_rate: [...h.learning_rate],
      grad_norm: [...h.grad_norm],
      step: [...h.step],
      val_step: [...h.val_step],
      val_perplexity: h.records.flatMap((r) =>
        r.kind === 'eval' && r.metrics.val_perplexity !== undefined ? [r.metrics.val_perplexity] : [],
      ),
      ...(h.skipped_steps ? { skipped_steps: [...h.skipped_steps] } : {}),
      records: h.records.map((r) => ({ ...r, metrics: { ...r.metrics } })),
    };
  }
}

/** Whether LoRA adapters are already attached (to Linear or GPT-2 Conv1D layers): training continues them. */
function hasAdapters(model: SFTModel): boolean {
  return adaptedLayers(model).size > 0;
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());
