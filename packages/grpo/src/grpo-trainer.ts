import { groupAdvantages } from './advantages.js';
import { type GRPOConfig, type GRPOOptions, grpoOptionSpecs } from './online-config.js';
import type { RoundAdvantages } from './online-result.js';
import { OnlineTrainer } from './online-trainer.js';

/**
 * Group Relative Policy Optimization (Shao et al. 2024, DeepSeekMath §4.1) as TRL v1.0's `GRPOTrainer`:
 * for each prompt, `num_generations` completions are sampled from the policy and scored by JavaScript
 * reward functions; each completion's advantage is its reward relative to its group
 * (`scale_rewards`), and the policy follows the clipped surrogate with an optional k3 KL term against the
 * frozen reference (`beta`, default 0 as TRL v1.0), its token losses aggregated by `loss_type`
 * (`'dapo'` by default; `'grpo'`, `'dr_grpo'`, `'bnpo'`). Options are validated at construction.
 *
 * @example
 * ```ts
 * const trainer = new GRPOTrainer({ num_generations: 4, max_completion_length: 24, toc_do_hoc: 1e-4 });
 * const containsBig = (_p: string[], completions: string[]) => completions.map((c) => (/\bbig\b/i.test(c) ? 1 : 0));
 * const result = await trainer.huan_luyen(model, null, ['Once upon a time'], [containsBig]);
 * console.log(result.initial_reward, '→', result.final_reward);
 * ```
 */
export class GRPOTrainer extends OnlineTrainer<GRPOOptions> {
  /** GRPO's loss is token-level. */
  protected readonly sequenceLevel = false;

  constructor(options: GRPOConfig = {}) {
    super('GRPOTrainer', grpoOptionSpecs(), options);
  }

  /** Group-relative advantages; `scale_rewards: true/false` are TRL's older spellings of `'group'` / `'none'`. */
  protected advantagesOf(rewards: number[]): RoundAdvantages {
    const s = this.options.scale_rewards;
    const scale = s === true ? 'group' : s === false ? 'none' : s;
    const { advantages, fracZeroStd } = groupAdvantages(rewards, this.options.num_generations, scale);
    return { advantages, metrics: { frac_reward_zero_std: fracZeroStd } };
  }
}
