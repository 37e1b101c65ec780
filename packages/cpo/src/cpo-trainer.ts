import type { TrainerStats, TrainingHistory, TrainingTask } from '@rlhf/core';
import type { TruncatedPair } from '@rlhf/dpo';
import { type CPOConfig, type CPOOptions, cpoOptionSpecs } from './cpo-config.js';
import { CPO_METRICS, cpoTask } from './cpo-task.js';
import { cpoLoss } from './losses/registry.js';
import { checkPromptLength } from './pair-data-options.js';
import type { PolicyModel } from './policy-model.js';
import { type CPOHistory, historyColumns, type PreferenceResult } from './preference-history.js';
import { type PairDataStats, ReferenceFreeTrainer } from './reference-free-trainer.js';

/** What `CPOTrainer.huan_luyen` resolves to: exactly the specification's keys, with CPO's history. */
export type CPOResult = PreferenceResult<CPOHistory>;

/** `thong_ke()` of a CPO trainer: the shared statistics, the data counts and the loss settings. */
export interface CPOStats extends TrainerStats, PairDataStats {
  /** The registry loss used. */
  loss_type: string;
  /** β used. */
  beta: number;
  /** ε used. */
  label_smoothing: number;
  /** Weight of the chosen NLL used. */
  cpo_alpha: number;
  /** γ used (SimPO). */
  simpo_gamma: number;
}

/**
 * Contrastive Preference Optimization (Xu et al. 2024) and, with `loss_type: 'simpo'` and `cpo_alpha: 0`,
 * SimPO (Meng et al. 2024) — TRL's `CPOTrainer` (TRL main 1.1.0.dev0, `trl.experimental.cpo`). Reference-free:
 * the per-pair loss is a function of the policy's own log-probability difference `h = logp_c − logp_r`
 * (summed for `sigmoid`/`hinge`, averaged per token for `ipo`/`simpo`) plus `cpo_alpha` times the chosen
 * response's NLL. `huan_luyen(model, preference_data, tokenizer?, callback?)` takes the policy only.
 * Options are validated at construction (`ConfigError` naming the key); the loop and checkpoints
 * are the shared trainer base's.
 *
 * @example
 * ```ts
 * const simpo = new CPOTrainer({ loss_type: 'simpo', cpo_alpha: 0, beta: 2, simpo_gamma: 0.5 });
 * const result = await simpo.huan_luyen(model, pairs);
 * console.log(result.final_reward_margin, simpo.thong_ke().loss_type);
 * ```
 */
export class CPOTrainer extends ReferenceFreeTrainer<CPOOptions, CPOHistory> {
  constructor(options: CPOConfig = {}) {
    super('CPOTrainer', cpoOptionSpecs(), options);
    checkPromptLength(this.owner, this.options);
  }

  /** The configured loss on `model` ({@link cpoTask}). */
  protected task(model: PolicyModel, padId: number): TrainingTask<TruncatedPair> {
    const o = this.options;
    const params = { beta: o.beta, label_smoothing: o.label_smoothing, simpo_gamma: o.simpo_gamma };
    return cpoTask(model, cpoLoss(o.loss_type), params, o.cpo_alpha, padId);
  }

  /**
   * Statistics (thống kê) of the last run: steps, epochs, tokens, tokens/s, time, parameters, backend, and
   * CPO's pairs, truncations and loss settings. Zero counts before training.
   *
   * @example
   * ```ts
   * const { loss_type, cpo_alpha } = trainer.thong_ke();
   * ```
   */
  thong_ke(): CPOStats {
    const o = this.options;
    return {
      ...this.pairStats(),
      loss_type: o.loss_type,
      beta: o.beta,
      label_smoothing: o.label_smoothing,
      cpo_alpha: o.cpo_alpha,
      simpo_gamma: o.simpo_gamma,
    };
  }

  /** The one history builder of `result.history` and `lay_lich_su()`: the specification's columns first. */
  protected buildHistory(h: TrainingHistory): CPOHistory {
    return historyColumns(h, CPO_METRICS);
  }
}
