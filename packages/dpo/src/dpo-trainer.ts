import {
  BaseTrainer,
  ConfigError,
  type LogRecord,
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
import { attachLoraOption, type LoraModel, safetensorsCodec, type Tokenizer } from '@rlhf/models';
import { type PreferenceData, preparePreferenceData } from '@rlhf/preference-data';
import { type DPOConfig, type DPOOptions, dpoOptionSpecs } from './dpo-config.js';
import type { DPOModel } from './dpo-model.js';
import { type DPOItem, type DPOTrainingTask, dpoTask } from './dpo-task.js';
import { dpoLossTerms } from './losses/loss-selection.js';
import type { DpoLossType } from './losses/registry.js';
import { precomputeReference } from './precompute-reference.js';
import { type ReferenceKind, referenceScorer } from './reference-scorer.js';

/** The history of a DPO run in columns: the specification's four keys first, then the other metrics. */
export interface DPOHistory {
  /** Mean loss per pair of each logging window. */
  train_loss: number[];
  /** Mean implicit reward of the chosen responses, `β·(log π_θ(y_c|x) − log π_ref(y_c|x))`. */
  chosen_rewards: number[];
  /** Mean implicit reward of the rejected responses. */
  rejected_rewards: number[];
  /** Mean `chosen_reward − rejected_reward`. */
  reward_margin: number[];
  /** Share of pairs with a positive margin. */
  reward_accuracy: number[];
  /** Mean `log π_θ(y_c|x)` (summed over response tokens). */
  chosen_logps: number[];
  /** Mean `log π_θ(y_r|x)`. */
  rejected_logps: number[];
  /** Learning rate of the window's last step. */
  learning_rate: number[];
  /** Gradient norm (before clipping) of the window's last step. */
  grad_norm: number[];
  /** Optimizer step of each entry. */
  step: number[];
  /** Steps skipped in each entry's window (only with `skip_nonfinite_steps`). */
  skipped_steps?: number[];
  /** Every record, in the order they were made (as the callback received them). */
  records: LogRecord[];
}

/** What `huan_luyen` resolves to: exactly the specification's keys. */
export interface DPOResult {
  /** Total time of the run in seconds (tổng thời gian). */
  tong_thoi_gian: number;
  /** Whole epochs completed (số epoch). */
  so_epoch: number;
  /** Optimizer steps done. */
  global_step: number;
  /** Smallest logged train loss (NaN when nothing was logged). */
  train_loss_min: number;
  /** chosen_reward − rejected_reward, mean over the last logging window (NaN when nothing was logged). */
  final_reward_margin: number;
  /** Per logging window: the specification's four columns and more (the same object `lay_lich_su()` returns). */
  history: DPOHistory;
}

/** `thong_ke()` of a DPO trainer: the shared statistics plus DPO's. */
export interface DPOStats extends TrainerStats {
  /** Preference pairs trained on. */
  pairs: number;
  /** Pairs cut to `max_seq_length`. */
  truncated_pairs: number;
  /** Pairs whose prompt was cut too. */
  truncated_prompts: number;
  /** Pairs with `chosen == rejected` (same tokens: no preference signal; kept, but worth a warning). */
  identical_pairs: number;
  /** The registry loss used, or the list of losses added up. */
  loss_type: DpoLossType | DpoLossType[];
  /** The weight of each loss of `loss_type` (1 each unless `loss_weights` is set). */
  loss_weights: number[];
  /** β used. */
  beta: number;
  /** ε used. */
  label_smoothing: number;
  /** Where reference log-probs came from (`null` before training). */
  reference: ReferenceKind | null;
  /** Whether the reference was scored once up front. */
  precompute_ref_log_probs: boolean;
}

/**
 * Direct Preference Optimization trainer (Rafailov et al. 2023), the specification's `DPOTrainer`: fits a policy to
 * preference pairs against a frozen reference, with no reward model and no sampling. Options and defaults
 * are the specification's (`so_vong 1, kich_thuoc_batch 2, toc_do_hoc 5e-7, beta 0.1, label_smoothing 0,
 * gradient_accumulation 4, gradient_clip 1.0, max_seq_length 512, logging_steps 10, seed 42`), validated at
 * construction ({@link ConfigError} naming the key). The loop, accumulation, clipping, schedule,
 * callbacks, history and checkpoints are the shared trainer base's.
 *
 * @example
 * ```ts
 * const trainer = new DPOTrainer({ beta: 0.1, toc_do_hoc: 1e-5 });
 * const result = await trainer.huan_luyen(model, null, [
 *   { prompt: 'câu hỏi hoặc context', chosen: 'response tốt', rejected: 'response xấu' },
 * ]);
 * console.log(result.final_reward_margin, trainer.thong_ke().truncated_pairs);
 * ```
 */
export class DPOTrainer extends BaseTrainer<DPOOptions, DPOHistory> {
  /** The LoRA adapters of the last run (with `lora` set), to merge or save them. */
  lora: LoraModel | null = null;
  private dataInfo = {
    pairs: 0,
    truncated: 0,
    truncatedPrompts: 0,
    identical: 0,
    reference: null as ReferenceKind | null,
  };

  /** Validates the options (the specification's defaults fill the rest); a bad key or value throws `ConfigError`. */
  constructor(options: DPOConfig = {}) {
    super('DPOTrainer', dpoOptionSpecs(), options);
    const o = this.options;
    dpoLossTerms(o); // loss_weights one per loss_type entry; label_smoothing within each loss's range
    if (o.max_prompt_length !== null && o.max_prompt_length >= o.max_seq_length) {
      throw new ConfigError(
        'DPOTrainer',
        'max_prompt_length',
        o.max_prompt_length,
        `an integer < max_seq_length (${o.max_seq_length}), or null`,
      );
    }
  }

  /**
   * Trains (huấn luyện) `model` on preference pairs against the frozen `ref_model`.
   *
   * @param model - the policy π_θ; trained in place (with `lora`, adapters are attached to it and only they train).
   * @param ref_model - the reference π_ref, never changed; `null` = a frozen copy of `model` as it is now
   *   (with `lora`: the model with adapters disabled; with `precompute_ref_log_probs`: `model` scored before training).
   * @param preference_data - `{ prompt, chosen, rejected }` records (strings or message lists), pre-tokenised
   *   `{ prompt_input_ids, chosen_input_ids, rejected_input_ids }`, ShareGPT or HH-RLHF records; an array or (async) iterable.
   * @param tokenizer - defaults to the model's own.
   * @param callback - called with every logged record; returning `false` stops after the current step.
   * @param du_lieu_val - optional held-out pairs in the same layouts, evaluated (loss, reward accuracy and
   *   margin, as `val_*` metrics of `kind: 'eval'` records) at each epoch end and at the last step (and before
   *   the first step with `eval_on_start`); never trained on.
   * @returns the specification's result object.
   *
   * @example
   * ```ts
   * const result = await new DPOTrainer({ logging_steps: 1 }).huan_luyen(model, null, pairs, null, (r) => console.log(r));
   * ```
   */
  async huan_luyen(
    model: DPOModel,
    ref_model: DPOModel | null,
    preference_data: PreferenceData,
    tokenizer: Tokenizer | null = null,
    callback: TrainerCallback | null = null,
    du_lieu_val: PreferenceData | null = null,
  ): Promise<DPOResult> {
    const started = performance.now();
    const method = `${this.owner}.huan_luyen`;
    requireModel(method, 'model', model);
    if (ref_model !== null && ref_model !== undefined) requireModel(method, 'ref_model', ref_model);
    requireRecords(method, 'preference_data', preference_data);
    if (du_lieu_val !== null && du_lieu_val !== undefined) requireRecords(method, 'du_lieu_val', du_lieu_val);
    requireTokenizer(method, 'tokenizer', tokenizer);
    requireCallback(method, 'callback', callback);
    requireTokenizer(method, 'model.tokenizer', model.tokenizer);
    const o = this.options;
    const terms = dpoLossTerms(o);
    const tok = tokenizer ?? model.tokenizer ?? null;
    const prepare = (data: PreferenceData) =>
      preparePreferenceData(data, tok, {
        maxSeqLength: o.max_seq_length,
        ...(o.max_prompt_length === null ? {} : { maxPromptLength: o.max_prompt_length }),
        ...(o.chat_template === null ? {} : { chatTemplate: o.chat_template }),
        vocabSize: model.config.vocab_size,
      });
    const prepared = await prepare(preference_data);
    const preparedVal = du_lieu_val ? await prepare(du_lieu_val) : null;
    this.dataInfo = {
      pairs: prepared.pairs.length,
      truncated: prepared.truncated,
      truncatedPrompts: prepared.truncatedPrompts,
      identical: prepared.identical,
      reference: null,
    };
    const padId = tok?.padTokenId ?? 0;
    const rng = new Random(o.seed);
    this.lora = attachLoraOption(model, o.lora, rng);
    const scorer = referenceScorer(model, ref_model, this.lora, o.precompute_ref_log_probs);
    this.dataInfo.reference = scorer.kind;
    const items: DPOItem[] = prepared.pairs.map((pair) => ({ pair, ref: null }));
    const valItems: DPOItem[] | null = preparedVal?.pairs.map((pair) => ({ pair, ref: null })) ?? null;
    let task: DPOTrainingTask | null = null;
    try {
      if (o.precompute_ref_log_probs) {
        await precomputeReference(items, scorer, model, o.kich_thuoc_batch, padId);
        if (valItems) await precomputeReference(valItems, scorer, model, o.kich_thuoc_batch, padId);
      }
      const params = { beta: o.beta, label_smoothing: o.label_smoothing, discopop_tau: o.discopop_tau };
      task = dpoTask(model, scorer, terms, params, padId);
      await this.fit({ model, task, train: items, val: valItems, callback, codec: safetensorsCodec, rng });
    } finally {
      task?.dispose();
      scorer.dispose();
      this.runInfo.seconds = (performance.now() - started) / 1000;
    }
    const history = this.buildHistory(this.progress.history);
    const last = history.reward_margin[history.reward_margin.length - 1];
    return {
      tong_thoi_gian: this.runInfo.seconds,
      so_epoch: this.progress.epochs_completed,
      global_step: this.progress.global_step,
      train_loss_min: minOf(history.train_loss) ?? Number.NaN,
      final_reward_margin: last ?? Number.NaN,
      history,
    };
  }

  /**
   * Statistics (thống kê) of the last run: steps, epochs, tokens, tokens/s, time, parameters, backend,
   * and DPO's pairs, truncations, loss and reference. Zero counts before training.
   *
   * @example
   * ```ts
   * const { truncated_pairs, reference } = trainer.thong_ke();
   * ```
   */
  thong_ke(): DPOStats {
    const o = this.options;
    return {
      ...this.baseStats(),
      pairs: this.dataInfo.pairs,
      truncated_pairs: this.dataInfo.truncated,
      truncated_prompts: this.dataInfo.truncatedPrompts,
      identical_pairs: this.dataInfo.identical,
      loss_type: Array.isArray(o.loss_type) ? [...o.loss_type] : o.loss_type,
      loss_weights: dpoLossTerms(o).map((t) => t.weight),
      beta: o.beta,
      label_smoothing: o.label_smoothing,
      reference: this.dataInfo.reference,
      precompute_ref_log_probs: o.precompute_ref_log_probs,
    };
  }

  /** The one history builder of `result.history` and `lay_lich_su()`: the specification's columns first. */
  protected buildHistory(h: TrainingHistory): DPOHistory {
    return dpoHistory(h);
  }
}

/** The specification's history columns from the base's history. */
function dpoHistory(h: TrainingHistory): DPOHistory {
  const column = (name: string) => [...(h.metrics[name] ?? [])];
  return {
    train_loss: [...h.train_loss],
    chosen_rewards: column('chosen_rewards'),
    rejected_rewards: column('rejected_rewards'),
    reward_margin: column('reward_margin'),
    reward_accuracy: column('reward_accuracy'),
    chosen_logps: column('chosen_logps'),
    rejected_logps: column('rejected_logps'),
    learning_rate: [...h.learning_rate],
    grad_norm: [...h.grad_norm],
    step: [...h.step],
    ...(h.skipped_steps ? { skipped_steps: [...h.skipped_steps] } : {}),
    records: h.records.map((r) => ({ ...r, metrics: { ...r.metrics } })),
  };
}
