import { cast, greater, mul, noGrad, sub, sum, type Tensor, type TrainingTask } from '@rlhf/core';
import { collatePairs, type TruncatedPair } from '@rlhf/dpo';
import { orpoLoss } from './losses/odds-ratio.js';
import type { PolicyModel } from './policy-model.js';
import { responseLogProbs } from './response-log-probs.js';

/**
 * Names of the metrics every ORPO train record carries (means per pair over the logging window): the
 * specification's reward columns, and TRL's `nll_loss`, `log_odds_ratio` (mean `log σ(log odds ratio)`) and
 * `log_odds_chosen` (mean log odds ratio), under TRL's names and meanings.
 */
export const ORPO_METRICS = [
  'chosen_rewards',
  'rejected_rewards',
  'reward_margin',
  'reward_accuracy',
  'chosen_logps',
  'rejected_logps',
  'nll_loss',
  'log_odds_ratio',
  'log_odds_chosen',
] as const;

/**
 * ORPO's objective for the shared loop. Per micro-batch of B pairs:
 *
 * 1. one forward pass of the policy over the concatenated (2B, T) batch → summed and length-averaged
 *    response log-probabilities `ℓ_c`, `ℓ_r`, (B) each — there is no reference model and no second pass;
 * 2. per-pair `L_SFT + λ·L_OR` ({@link orpoLoss}), (B), summed over pairs (the loop divides by the pairs of
 *    the optimizer step);
 * 3. the metrics summed over pairs, off the tape: rewards `β·ℓ_c`, `β·ℓ_r` (TRL's `rewards/chosen`,
 *    `rewards/rejected`), their margin and accuracy, the mean log-probs `ℓ_c`, `ℓ_r` (TRL's `logps/...`),
 *    `nll_loss`, `log_odds_ratio`, `log_odds_chosen` (TRL main 1.1.0.dev0,
 *    `trl/experimental/orpo/orpo_trainer.py`, `get_batch_loss_metrics`).
 *
 * Units: pairs; tokens: every real token of both sequences.
 *
 * @example
 * ```ts
 * const task = orpoTask(model, 0.1, padId);
 * ```
 */
export function orpoTask(model: PolicyModel, beta: number, padId: number): TrainingTask<TruncatedPair> {
  return {
    measure: (pairs) => ({
      units: pairs.length,
      tokens: pairs.reduce((a, p) => a + 2 * p.prompt.length + p.chosen.length + p.rejected.length, 0),
    }),
    loss: (pairs) => {
      const batch = collatePairs(model.backend, pairs, padId); // (2B, T)
      const lp = responseLogProbs(model, batch, pairs); // four (B), on the tape
      const parts = orpoLoss(lp.chosenMean, lp.rejectedMean, beta); // (B) each
      const metrics = noGrad(() => {
        const chosenRewards = mul(lp.chosenMean, beta); // β·ℓ_c, (B)
        const rejectedRewards = mul(lp.rejectedMean, beta); // β·ℓ_r, (B)
        const margin = sub(chosenRewards, rejectedRewards); // (B)
        return {
          chosen_rewards: sum(chosenRewards),
          rejected_rewards: sum(rejectedRewards),
          reward_margin: sum(margin),
          reward_accuracy: sum(cast(greater(margin, 0), 'float32')),
          chosen_logps: sum(lp.chosenMean),
          rejected_logps: sum(lp.rejectedMean),
          nll_loss: sum(parts.nll),
          log_odds_ratio: sum(parts.logSigmoidRatio),
          log_odds_chosen: sum(parts.logOddsRatio),
        } satisfies Record<(typeof ORPO_METRICS)[number], Tensor>;
      });
      return { loss: sum(parts.loss), metrics };
    },
  };
}
