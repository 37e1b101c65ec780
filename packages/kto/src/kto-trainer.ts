import {
  BaseTrainer,
  ConfigError,
  minOf,
  Random,
  requireCallback,
  requireModel,
  requireRecords,
  requireTokenizer,
  type TrainerCallback,
  type TrainerStats,
  type TrainingHistory,
} from '@rlhf/core';
import type { DPOModel } from '@rlhf/dpo';
import { attachLoraOption, type LoraModel, safetensorsCodec, type Tokenizer } from '@rlhf/models';
import { type KtoData, prepareKtoData, type TokenizedKto } from './data/prepare-kto-data.js';
import { type KTOConfig, type KTOOptions, ktoOptionSpecs } from './kto-config.js';
import { type KTOHistory, ktoHistory, ktoRecord } from './kto-history.js';
import { type KtoReferenceKind, ktoReference } from './kto-reference.js';
import { ktoTask } from './kto-task.js';
import { weightWarning } from './weight-warning.js';

/** What `huan_luyen` resolves to: the specification's keys (as `DPOTrainer`'s), the history holding KTO's metrics. */
export interface KTOResult {
  /** Total time of the run in seconds (tổng thời gian). */
  tong_thoi_gian: number;
  /** Whole epochs completed (số epoch). */
  so_epoch: number;
  /** Optimizer steps done. */
  global_step: number;
  /** Smallest logged train loss (NaN when nothing was logged). */
  train_loss_min: number;
  /** `rewards/margins` of the last logging window (NaN when nothing was logged or a class was absent). */
  final_reward_margin: number;
  /** KL reference point z₀ of the last logging window (TRL's `kl`; NaN when nothing was logged). */
  final_kl: number;
  /** Per logging window: the specification's columns, KTO's metrics and every record (the same object `lay_lich_su()` returns). */
  history: KTOHistory;
}

/** `thong_ke()` of a KTO trainer: the shared statistics plus KTO's. */
export interface KTOStats extends TrainerStats {
  /** Examples with `label: true`. */
  desirable: number;
  /** Examples with `label: false`. */
  undesirable: number;
  /** Examples cut to `max_seq_length`. */
  truncated_examples: number;
  /** Examples whose prompt was cut too. */
  truncated_prompts: number;
  /** The loss used. */
  loss_type: string;
  /** β used. */
  beta: number;
  /** λ_D used. */
  desirable_weight: number;
  /** λ_U used. */
  undesirable_weight: number;
  /** Where reference log-probs came from (`null` before training). */
  reference: KtoReferenceKind | null;
  /**
   * What TRL warns about, kept here (and printed by `rlhf kto`): one class of examples missing, or weights outside
   * the range the KTO paper recommends for unbalanced data (eq. 8). Training runs anyway, as in TRL.
   */
  warnings: string[];
}

/**
 * Kahneman-Tversky Optimization trainer (Ethayarajh et al. 2024) in the specification's style: fits a policy to unpaired
 * thumbs-up / thumbs-down data — `{ prompt, completion, label }` records, TRL's format — against a frozen
 * reference, with no pairs, no reward model and no sampling. Each desirable completion's implied reward
 * `β·log π_θ/π_ref` is pushed above, and each undesirable one's below, a reference point z₀ (the policy's KL from
 * the reference, estimated from mismatched prompt/completion pairs of each micro-batch), weighted by
 * `desirable_weight` / `undesirable_weight`. Options and defaults: TRL's `KTOConfig` for KTO's keys (`beta 0.1`,
 * `desirable_weight 1`, `undesirable_weight 1`, `loss_type 'kto'`, `toc_do_hoc 1e-6`, `max_seq_length 1024`),
 * the specification's for the shared ones; validated at construction ({@link ConfigError} naming the key). The loop,
 * accumulation, clipping, schedule, callbacks, history and checkpoints are the shared trainer base's.
 *
 * @example
 * ```ts
 * const trainer = new KTOTrainer({ beta: 0.1, toc_do_hoc: 1e-5 });
 * const result = await trainer.huan_luyen(model, null, [
 *   { prompt: 'câu hỏi', completion: 'response tốt', label: true },
 *   { prompt: 'câu hỏi khác', completion: 'response xấu', label: false },
 * ]);
 * console.log(result.final_reward_margin, result.final_kl, trainer.thong_ke().desirable);
 * ```
 */
export class KTOTrainer extends BaseTrainer<KTOOptions, KTOHistory> {
  /** The LoRA adapters of the last run (with `lora` set), to merge or save them. */
  lora: LoraModel | null = null;
  private dataInfo = {
    desirable: 0,
    undesirable: 0,
    truncated: 0,
    truncatedPrompts: 0,
    reference: null as KtoReferenceKind | null,
    warnings: [] as string[],
  };

  constructor(options: KTOConfig = {}) {
    super('KTOTrainer', ktoOptionSpecs(), options);
    const o = this.options;
    if (o.loss_type === 'kto' && o.kich_thuoc_batch < 2) {
      throw new ConfigError(
        'KTOTrainer',
        'kich_thuoc_batch',
        o.kich_thuoc_batch,
        "an integer ≥ 2 with loss_type 'kto' (the KL reference point is estimated from the other examples of each micro-batch; with 1 it equals the example's own reward)",
      );
    }
    if (o.max_prompt_length !== null && o.max_prompt_length >= o.max_seq_length) {
      throw new ConfigError(
        'KTOTrainer',
        'max_prompt_length',
        o.max_prompt_length,
        `an integer < max_seq_length (${o.max_seq_length}), or null`,
      );
    }
  }

  /**
   * Trains (huấn luyện) `model` on unpaired examples against the frozen `ref_model`.
   *
   * @param model - the policy π_θ; trained in place (with `lora`, adapters are attached to it and only they train).
   * @param ref_model - the reference π_ref, never changed; `null` = a frozen copy of `model` as it is now (with
   *   `lora`: the model with its adapters disabled).
   * @param kto_data - `{ prompt, completion, label }` records (text or message lists) or pre-tokenised
   *   `{ prompt_input_ids, completion_input_ids, label }`; an array or (async) iterable. Paired data: convert it
   *   with `unpairPreferenceData` first.
   * @param tokenizer - defaults to the model's own.
   * @param callback - called with every logged record (TRL's metric names); returning `false` stops after the current step.
   * @returns the specification's result object, plus `final_kl`.
   *
   * @example
   * ```ts
   * const result = await new KTOTrainer({ logging_steps: 1 }).huan_luyen(model, null, examples, null, (r) => console.log(r.metrics.kl));
   * ```
   */
  async huan_luyen(
    model: DPOModel,
    ref_model: DPOModel | null,
    kto_data: KtoData,
    tokenizer: Tokenizer | null = null,
    callback: TrainerCallback | null = null,
  ): Promise<KTOResult> {
    const started = performance.now();
    const method = `${this.owner}.huan_luyen`;
    requireModel(method, 'model', model);
    if (ref_model !== null && ref_model !== undefined) requireModel(method, 'ref_model', ref_model);
    requireRecords(method, 'kto_data', kto_data);
    requireTokenizer(method, 'tokenizer', tokenizer);
    requireCallback(method, 'callback', callback);
    requireTokenizer(method, 'model.tokenizer', model.tokenizer);
    const o = this.options;
    const tok = tokenizer ?? model.tokenizer ?? null;
    const prepared = await prepareKtoData(kto_data, tok, {
      maxSeqLength: o.max_seq_length,
      ...(o.max_prompt_length === null ? {} : { maxPromptLength: o.max_prompt_length }),
      ...(o.chat_template === null ? {} : { chatTemplate: o.chat_template }),
      vocabSize: model.config.vocab_size,
    });
    const warning = weightWarning(prepared.desirable, prepared.undesirable, o.desirable_weight, o.undesirable_weight);
    this.dataInfo = {
      desirable: prepared.desirable,
      undesirable: prepared.undesirable,
      truncated: prepared.truncated,
      truncatedPrompts: prepared.truncatedPrompts,
      reference: null,
      warnings: warning === null ? [] : [warning],
    };
    const padId = tok?.padTokenId ?? 0;
    const rng = new Random(o.seed);
    this.lora = attachLoraOption(model, o.lora, rng);
    const reference = ktoReference(model, ref_model, this.lora);
    this.dataInfo.reference = reference.kind;
    const params = {
      loss_type: o.loss_type,
      beta: o.beta,
      desirable_weight: o.desirable_weight,
      undesirable_weight: o.undesirable_weight,
    };
    // The callback sees records with TRL's metric names (the loop keeps per-class sums).
    const wrapped: TrainerCallback | null = callback
      ? (record, progress) => callback(ktoRecord(record), progress)
      : null;
    try {
      const task = ktoTask(model, reference, params, padId, o.max_seq_length);
      const train: readonly TokenizedKto[] = prepared.examples;
      await this.fit({ model, task, train, val: null, callback: wrapped, codec: safetensorsCodec, rng });
    } finally {
      reference.dispose();
      this.runInfo.seconds = (performance.now() - started) / 1000;
    }
    const history = this.buildHistory(this.progress.history);
    return {
      tong_thoi_gian: this.runInfo.seconds,
      so_epoch: this.progress.epochs_completed,
      global_step: this.progress.global_step,
      train_loss_min: minOf(history.train_loss) ?? Number.NaN,
      final_reward_margin: history.reward_margin[history.reward_margin.length - 1] ?? Number.NaN,
      final_kl: history.kl[history.kl.length - 1] ?? Number.NaN,
      history,
    };
  }

  /**
   * Statistics (thống kê) of the last run: steps, epochs, tokens, tokens/s, time, parameters, backend, and
   * KTO's class counts, truncations, loss, weights, reference and warnings. Zero counts before training.
   *
   * @example
   * ```ts
   * const { desirable, undesirable, warnings } = trainer.thong_ke();
   * ```
   */
  thong_ke(): KTOStats {
    const o = this.options;
    return {
      ...this.baseStats(),
      desirable: this.dataInfo.desirable,
      undesirable: this.dataInfo.undesirable,
      truncated_examples: this.dataInfo.truncated,
      truncated_prompts: this.dataInfo.truncatedPrompts,
      loss_type: o.loss_type,
      beta: o.beta,
      desirable_weight: o.desirable_weight,
      undesirable_weight: o.undesirable_weight,
      reference: this.dataInfo.reference,
      warnings: [...this.dataInfo.warnings],
    };
  }

  /** The one history builder of `result.history` and `lay_lich_su()`: the specification's columns first. */
  protected buildHistory(h: TrainingHistory): KTOHistory {
    return ktoHistory(h);
  }
}
