import { logSigmoid, mul, neg, sub } from '@rlhf/core';
import type { DpoLossDefinition } from './dpo-loss.js';
import { batchLogRatios } from './log-ratio-difference.js';

/**
 * NCA (noise-contrastive alignment), pairwise: each response's own reward `r = β·c` is classified against
 * the reference, the chosen one as data and both as noise:
 *
 * `L = −log σ(β·c_c) − ½·log σ(−β·c_c) − ½·log σ(−β·c_r)`
 *
 * Chen et al. 2024, "Noise Contrastive Alignment of Language Models with Explicit Rewards"
 * (arXiv:2402.05369), the NCA loss for K = 2 responses. Matches TRL 1.13 `trl/trainer/dpo_trainer.py`,
 * `DPOTrainer._compute_loss`, branch `nca_pair`. Unlike DPO it raises the chosen response's likelihood in
 * absolute terms, not only relative to the rejected one. At policy = reference it is 2·ln 2.
 * `label_smoothing` is ignored. c_c, c_r (B) → (B).
 *
 * @example
 * ```ts
 * const losses = NCA_PAIR_LOSS.perPair(batch, { beta: 0.1, label_smoothing: 0 }, null); // (B)
 * ```
 */
export const NCA_PAIR_LOSS: DpoLossDefinition = {
  name: 'nca_pair',
  formula: 'L = −log σ(β·c_c) − ½·log σ(−β·c_c) − ½·log σ(−β·c_r)',
  reference: 'Chen et al. 2024 (NCA), arXiv:2402.05369',
  trl: 'TRL 1.13 `trl/trainer/dpo_trainer.py`, `DPOTrainer._compute_loss`, branch `nca_pair`',
  whenToUse: 'When DPO lowers the chosen likelihood too: NCA pushes the chosen response up in absolute terms.',
  perPair: (batch, { beta }) => {
    const { chosen, rejected } = batchLogRatios(batch);
    const chosenReward = mul(chosen, beta); // β·c_c, (B)
    const rejectedReward = mul(rejected, beta); // β·c_r, (B)
    const data = neg(logSigmoid(chosenReward)); // −log σ(β·c_c)
    const noise = mul(logSigmoid(neg(chosenReward)), 0.5); // ½·log σ(−β·c_c)
    return sub(sub(data, noise), mul(logSigmoid(neg(rejectedReward)), 0.5));
  },
  stepZero: () => 2 * Math.LN2,
  usesLabelSmoothing: false,
  labelSmoothingBound: { max: 0.5, inclusive: true },
};
