import { add, cast, greater, mul, neg, noGrad, sub, sum, type Tensor, type TrainingTask } from '@rlhf/core';
import { collatePairs, type TruncatedPair } from '@rlhf/dpo';
import type { CpoLossDefinition, CpoLossParams } from './losses/cpo-loss.js';
import type { PolicyModel } from './policy-model.js';
import { responseLogProbs } from './response-log-probs.js';

/**
 * Names of the metrics every CPO train record carries (means per pair over the logging window): the specification's
 * reward columns and TRL's `nll_loss`.
 */
export const CPO_METRICS = [
  'chosen_rewards',
  'rejected_rewards',
  'reward_margin',
  'reward_accuracy',
  'chosen_logps',
  'rejected_logps',
  'nll_loss',
] as const;

/**
 * CPO's objective (and SimPO's) for the shared loop. Per micro-batch of B pairs:
 *
 * 1. one forward pass of the policy over the concatenated (2B, T) batch → response log-probabilities,
 *    summed (`sigmoid`, `hinge`) or averaged per token (`ipo`, `simpo`), (B) each — no reference model;
 * 2. `h = logp_c − logp_r`, (B); per-pair loss `L(h) + cpo_alpha · NLL_c` with `NLL_c = −ℓ_c` the chosen
 *    response's mean token negative log-likelihood (Xu et al. 2024, CPO: `L_CPO = L_prefer + L_NLL`; TRL
 *    main 1.1.0.dev0 `trl/experimental/cpo/cpo_trainer.py`: `loss = losses.mean() + cpo_alpha·nll_loss`),
 *    summed over pairs;
 * 3. metrics summed over pairs, off the tape: rewards `β·logp_c`, `β·logp_r` (TRL's `rewards/chosen`,
 *    `rewards/rejected`; length-averaged for `ipo`/`simpo`, so SimPO's rewards are eq. 4's `β/|y|·log π`),
 *    margin, accuracy, the log-probs as the loss sees them, and `nll_loss`.
 *
 * Units: pairs; tokens: every real token of both sequences.
 *
 * @example
 * ```ts
 * const task = cpoTask(model, CPO_LOSSES.simpo, { beta: 2, label_smoothing: 0, simpo_gamma: 0.5 }, 0, padId);
 * ```
 */
export function cpoTask(
  model: PolicyModel,
  loss: CpoLossDefinition,
  params: CpoLossParams,
  cpoAlpha: number,
  padId: number,
): TrainingTask<TruncatedPair> {
  return {
    measure: (pairs) => ({
      units: pairs.length,
      tokens: pairs.reduce((a, p) => a + 2 * p.prompt.length + p.chosen.length + p.rejected.length, 0),
    }),
    loss: (pairs) => {
      const batch = collatePairs(model.backend, pairs, padId); // (2B, T)
      const lp = responseLogProbs(model, batch, pairs); // four (B), on the tape
      const chosen = loss.lengthNormalized ? lp.chosenMean : lp.chosenSum; // (B)
      const rejected = loss.lengthNormalized ? lp.rejectedMean : lp.rejectedSum; // (B)
      const preference = loss.loss(sub(chosen, rejected), params); // L(h), (B)
      const nll = neg(lp.chosenMean); // NLL_c, (B)
      const perPair = cpoAlpha === 0 ? preference : add(preference, mul(nll, cpoAlpha)); // (B)
      const metrics = noGrad(() => {
        const chosenRewards = mul(chosen, params.beta); // (B)
        const rejectedRewards = mul(rejected, params.beta); // (B)
        const margin = sub(chosenRewards, rejectedRewards); // (B)
        return {
          chosen_rewards: sum(chosenRewards),
          rejected_rewards: sum(rejectedRewards),
          reward_margin: sum(margin),
          reward_accuracy: sum(cast(greater(margin, 0), 'float32')),
          chosen_logps: sum(chosen),
          rejected_logps: sum(rejected),
          nll_loss: sum(nll),
        } satisfies Record<(typeof CPO_METRICS)[number], Tensor>;
      });
      return { loss: sum(perPair), metrics };
    },
  };
}
