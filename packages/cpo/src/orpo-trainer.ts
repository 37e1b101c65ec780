import type { TrainerStats, TrainingHistory, TrainingTask } from '@rlhf/core';
import type { TruncatedPair } from '@rlhf/dpo';
import { type ORPOConfig, type ORPOOptions, orpoOptionSpecs } from './orpo-config.js';
import { ORPO_METRICS, orpoTask } from './orpo-task.js';
import { checkPromptLength } from './pair-data-options.js';
import type { PolicyModel } from './policy-model.js';
import { historyColumns, type ORPOHistory, type PreferenceResult } from './preference-history.js';
import { type PairDataStats, ReferenceFreeTrainer } from './reference-free-trainer.js';

/** What `ORPOTrainer.huan_luyen` resolves to: exactly the specification's keys, with ORPO's history. */
export type ORPOResult = PreferenceResult<ORPOHistory>;

/** `thong_ke()` of an ORPO trainer: the shared statistics, the data counts and λ. */
export interface ORPOStats extends TrainerStats, PairDataStats {
  /** λ used (TRL's `beta`). */
  beta: number;
}

/**
 * Odds Ratio Preference Optimization (Hong et al. 2024): supervised fine-tuning on the chosen responses
 * and a preference penalty in one stage, with **no reference model** — `L = −ℓ_c + λ·(−log σ(log odds_c −
 * log odds_r))` with `ℓ` the mean token log-probability of a response and `odds = P/(1−P)` of `P = e^ℓ`
 * (eqs. 6–7; λ is `beta`, as in TRL's `ORPOConfig`). `huan_luyen(model, preference_data, tokenizer?,
 * callback?)` takes the policy only: one forward pass per micro-batch, one model in memory. Options are
 * validated at construction (`ConfigError` naming the key); the loop, accumulation, clipping,
 * schedule, callbacks, history and checkpoints are the shared trainer base's.
 *
 * @example
 * ```ts
 * const trainer = new ORPOTrainer({ beta: 0.1, toc_do_hoc: 8e-6 });
 * const result = await trainer.huan_luyen(model, [
 *   { prompt: 'câu hỏi hoặc context', chosen: 'response tốt', rejected: 'response xấu' },
 * ]);
 * console.log(result.final_reward_margin, trainer.lay_lich_su().log_odds_chosen);
 * ```
 */
export class ORPOTrainer extends ReferenceFreeTrainer<ORPOOptions, ORPOHistory> {
  constructor(options: ORPOConfig = {}) {
    super('ORPOTrainer', orpoOptionSpecs(), options);
    checkPromptLength(this.owner, this.options);
  }

  /** ORPO's objective on `model` ({@link orpoTask}). */
  protected task(model: PolicyModel, padId: number): TrainingTask<TruncatedPair> {
    return orpoTask(model, this.options.beta, padId);
  }

  /**
   * Statistics (thống kê) of the last run: steps, epochs, tokens, tokens/s, time, parameters, backend, and
   * ORPO's pairs, truncations and λ. Zero counts before training.
   *
   * @example
   * ```ts
   * const { pairs, truncated_pairs, beta } = trainer.thong_ke();
   * ```
   */
  thong_ke(): ORPOStats {
    return { ...this.pairStats(), beta: this.options.beta };
  }

  /** The one history builder of `result.history` and `lay_lich_su()`: the specification's columns first. */
  protected buildHistory(h: TrainingHistory): ORPOHistory {
    return historyColumns(h, ORPO_METRICS);
  }
}
