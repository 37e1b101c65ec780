import {
  BaseTrainer,
  minOf,
  Random,
  requireCallback,
  requireModel,
  requireRecords,
  requireTokenizer,
  type TrainerCallback,
  type TrainerOptions,
  type TrainerStats,
  type TrainingTask,
} from '@rlhf/core';
import { type PreferenceData, preparePreferenceData, type TruncatedPair } from '@rlhf/dpo';
import { attachLoraOption, type LoraConfig, type LoraModel, safetensorsCodec, type Tokenizer } from '@rlhf/models';
import type { PolicyModel } from './policy-model.js';
import type { MarginHistoryColumns, PreferenceResult } from './preference-history.js';

/** The options every reference-free preference trainer here reads besides the shared ones. */
export interface PairDataOptions extends TrainerOptions {
  /** Longest prompt + response. */
  readonly max_seq_length: number;
  /** Longest prompt kept when a pair is cut (`null`: half of `max_seq_length`). */
  readonly max_prompt_length: number | null;
  /** Jinja chat template (`null`: the tokenizer's). */
  readonly chat_template: string | null;
  /** LoRA adapters to train instead of all weights (`null`: every weight trains). */
  readonly lora: LoraConfig | null;
}

/** The data statistics of a reference-free preference run, in `thong_ke()`. */
export interface PairDataStats {
  /** Preference pairs trained on. */
  pairs: number;
  /** Pairs cut to `max_seq_length`. */
  truncated_pairs: number;
  /** Pairs whose prompt was cut too. */
  truncated_prompts: number;
  /** Pairs with `chosen == rejected` (same tokens: no preference signal; kept, but worth a warning). */
  identical_pairs: number;
}

/**
 * What `ORPOTrainer` and `CPOTrainer` share: `huan_luyen(model, preference_data, tokenizer?, callback?)`
 * checks its arguments, reads and tokenises the pairs exactly as `DPOTrainer` does (same layouts, truncation
 * and typed errors), runs the shared loop on the subclass's task — on the policy alone: nothing here
 * builds, copies or takes a reference model — and returns the specification's result. Checkpoints and resuming are
 * the trainer base's (`output_dir` / `checkpoint_storage`, `resume_from_checkpoint`).
 */
export abstract class ReferenceFreeTrainer<
  TOptions extends PairDataOptions,
  THistory extends MarginHistoryColumns,
> extends BaseTrainer<TOptions, THistory> {
  /** The LoRA adapters of the last run (with `lora` set), to merge or save them. */
  lora: LoraModel | null = null;
  /** Counts of the last run's data. */
  private dataInfo = { pairs: 0, truncated: 0, truncatedPrompts: 0, identical: 0 };

  /** The subclass's objective on `model` (pad id for the collated batches). */
  protected abstract task(model: PolicyModel, padId: number): TrainingTask<TruncatedPair>;

  /**
   * Trains (huấn luyện) `model` in place on preference pairs, with no reference model.
   *
   * @param model - the policy π_θ; trained in place (with `lora`, adapters are attached to it and only they
   *   train). The only model the run holds.
   * @param preference_data - `{ prompt, chosen, rejected }` records (strings or message lists), pre-tokenised
   *   `{ prompt_input_ids, chosen_input_ids, rejected_input_ids }`, ShareGPT or HH-RLHF records; an array or (async) iterable.
   * @param tokenizer - defaults to the model's own.
   * @param callback - called with every logged record; returning `false` stops after the current step.
   * @returns the specification's result object.
   *
   * @example
   * ```ts
   * const result = await trainer.huan_luyen(model, pairs, null, (r) => console.log(r.step, r.loss));
   * ```
   */
  async huan_luyen(
    model: PolicyModel,
    preference_data: PreferenceData,
    tokenizer: Tokenizer | null = null,
    callback: TrainerCallback | null = null,
  ): Promise<PreferenceResult<THistory>> {
    const started = performance.now();
    const method = `${this.owner}.huan_luyen`;
    requireModel(method, 'model', model);
    requireRecords(method, 'preference_data', preference_data);
    requireTokenizer(method, 'tokenizer', tokenizer);
    requireCallback(method, 'callback', callback);
    requireTokenizer(method, 'model.tokenizer', model.tokenizer);
    const o = this.options;
    const tok = tokenizer ?? model.tokenizer ?? null;
    const prepared = await preparePreferenceData(preference_data, tok, {
      maxSeqLength: o.max_seq_length,
      ...(o.max_prompt_length === null ? {} : { maxPromptLength: o.max_prompt_length }),
      ...(o.chat_template === null ? {} : { chatTemplate: o.chat_template }),
      vocabSize: model.config.vocab_size,
    });
    this.dataInfo = {
      pairs: prepared.pairs.length,
      truncated: prepared.truncated,
      truncatedPrompts: prepared.truncatedPrompts,
      identical: prepared.identical,
    };
    const padId = tok?.padTokenId ?? 0;
    const rng = new Random(o.seed);
    this.lora = attachLoraOption(model, o.lora, rng);
    try {
      await this.fit({
        model,
        task: this.task(model, padId),
        train: prepared.pairs,
        val: null,
        callback,
        codec: safetensorsCodec,
        rng,
      });
    } finally {
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

  /** The shared statistics and the data counts of the last run. */
  protected pairStats(): TrainerStats & PairDataStats {
    return {
      ...this.baseStats(),
      pairs: this.dataInfo.pairs,
      truncated_pairs: this.dataInfo.truncated,
      truncated_prompts: this.dataInfo.truncatedPrompts,
      identical_pairs: this.dataInfo.identical,
    };
  }
}
