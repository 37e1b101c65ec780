import { rlooAdvantages } from './advantages.js';
import { type RLOOConfig, type RLOOOptions, rlooOptionSpecs } from './online-config.js';
import type { RoundAdvantages } from './online-result.js';
import { OnlineTrainer } from './online-trainer.js';

/**
 * REINFORCE Leave-One-Out (Ahmadian et al. 2024, "Back to Basics") as TRL v1.0's `RLOOTrainer`: the same
 * sampling and reward functions as {@link GRPOTrainer}'s loop, but each completion's baseline is the mean
 * reward of the other `num_generations − 1` completions of its prompt, the KL to the reference is a
 * penalty on the reward (r − β·Σ_t (log π_old − log π_ref)), and the whole completion is one action
 * (a sequence-level clipped ratio). Defaults: TRL v1.0 `RLOOConfig`'s `beta` 0.05, `num_generations` 2.
 *
 * @example
 * ```ts
 * const trainer = new RLOOTrainer({ num_generations: 4, max_completion_length: 24, toc_do_hoc: 1e-4 });
 * await trainer.huan_luyen(model, null, prompts, [containsBig]);
 * ```
 */
export class RLOOTrainer extends OnlineTrainer<RLOOOptions> {
  /** RLOO's loss is sequence-level. */
  protected readonly sequenceLevel = true;

  constructor(options: RLOOConfig = {}) {
    super('RLOOTrainer', rlooOptionSpecs(), options);
  }

  /**
   * Rewards shaped by the KL penalty (TRL v1.0 `rloo_trainer.py`: r ← r − β·KL_seq, KL_seq = Σ_t (log π_old −
   * log π_ref), the k1 estimator), then the leave-one-out advantages.
   */
  protected advantagesOf(rewards: number[], seqKl: number[] | null): RoundAdvantages {
    const beta = this.options.beta;
    const shaped = seqKl ? rewards.map((r, i) => r - beta * (seqKl[i] as number)) : rewards;
    return {
      advantages: rlooAdvantages(shaped, this.options.num_generations, this.options.normalize_advantages),
      metrics: {},
    };
  }
}
