import { concat, logSigmoid, mean, mul, neg, noGrad, sub } from '@rlhf/core';
import type { DpoLossDefinition } from './dpo-loss.js';
import { batchLogRatios } from './log-ratio-difference.js';
import { RewardRunningMean } from './reward-running-mean.js';

/**
 * BCO (binary classifier optimisation), pairwise: a logistic classifier whose logit is the implicit reward
 * `r = β·c`, shifted by δ, the running mean of rewards, says "chosen" for the chosen and "rejected" for the
 * rejected response:
 *
 * `L = −log σ(β·c_c − δ) − log σ(−(β·c_r − δ))`, `δ` = running mean over micro-batches of `mean([β·c_c; β·c_r])`
 *
 * Jung et al. 2024, "Binary Classifier Optimization for Large Language Model Alignment" (arXiv:2404.04656),
 * the BCO loss with its reward shift δ. Matches TRL 0.x `trl/trainer/dpo_trainer.py`, `DPOTrainer.dpo_loss`,
 * branch `bco_pair` (δ from `RunningMoments`, updated with the current micro-batch first). TRL 1.13's
 * `_compute_loss` dropped δ (it computes the formula with δ = 0); the running mean is kept here because BCO's
 * paper and MPO (`sigmoid` + `bco_pair` + `sft`) were defined with it. δ is state: {@link RewardRunningMean},
 * saved in checkpoints. At policy = reference (δ = 0) it is 2·ln 2. `label_smoothing` is ignored.
 * c_c, c_r (B) → (B).
 *
 * @example
 * ```ts
 * const state = BCO_PAIR_LOSS.createState?.(backend) ?? null;
 * const losses = BCO_PAIR_LOSS.perPair(batch, { beta: 0.1, label_smoothing: 0 }, state); // (B)
 * ```
 */
export const BCO_PAIR_LOSS: DpoLossDefinition = {
  name: 'bco_pair',
  formula: 'L = −log σ(β·c_c − δ) − log σ(−(β·c_r − δ)), δ = running mean of mean(β·c)',
  reference: 'Jung et al. 2024 (BCO), arXiv:2404.04656',
  trl: 'TRL 0.x `trl/trainer/dpo_trainer.py`, `DPOTrainer.dpo_loss`, branch `bco_pair` (with `RunningMoments`)',
  whenToUse: 'Part of MPO; a per-response classifier that also works when chosen and rejected are only loosely paired.',
  perPair: (batch, { beta }, state) => {
    const { chosen, rejected } = batchLogRatios(batch);
    const chosenReward = mul(chosen, beta); // β·c_c, (B)
    const rejectedReward = mul(rejected, beta); // β·c_r, (B)
    // δ, a scalar off the tape; without a run's state, a fresh one's first value: this micro-batch's mean reward
    const shift =
      state instanceof RewardRunningMean
        ? state.update(chosenReward, rejectedReward)
        : noGrad(() => mean(concat([chosenReward, rejectedReward], 0)));
    return sub(neg(logSigmoid(sub(chosenReward, shift))), logSigmoid(neg(sub(rejectedReward, shift))));
  },
  createState: (backend) => new RewardRunningMean(backend),
  stepZero: () => 2 * Math.LN2,
  usesLabelSmoothing: false,
  labelSmoothingBound: { max: 0.5, inclusive: true },
};
