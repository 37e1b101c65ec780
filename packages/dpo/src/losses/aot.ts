import { sub } from '@rlhf/core';
import type { DpoLossDefinition } from './dpo-loss.js';
import { sigmoidLoss } from './sigmoid.js';
import { sortAscending } from './sort-ascending.js';

/**
 * AOT (alignment via optimal transport), paired: DPO's smoothed sigmoid loss on the difference of the
 * *sorted* policy and reference log-odds of the batch, which makes the policy's distribution of
 * chosen-vs-rejected margins dominate the reference's (first-order stochastic dominance, quantile by quantile):
 *
 * `δ = sort(log π_θ(y_c) − log π_θ(y_r)) − sort(log π_ref(y_c) − log π_ref(y_r))`,
 * `L = −(1−ε)·log σ(βδ) − ε·log σ(−βδ)`
 *
 * Melnyk et al. 2024, "Distributional Preference Alignment of LLMs via Optimal Transport" (arXiv:2406.05882),
 * the paired AOT loss. Matches TRL 1.13 `trl/trainer/dpo_trainer.py`, `DPOTrainer._compute_loss`, branch
 * `aot`. Sorting is within the micro-batch (larger `kich_thuoc_batch` helps; with one pair it is `sigmoid`).
 * At policy = reference it is ln 2. Each (B) → (B), in sorted order (the loop only sums them).
 *
 * @example
 * ```ts
 * const losses = AOT_LOSS.perPair(batch, { beta: 0.1, label_smoothing: 0 }, null); // (B)
 * ```
 */
export const AOT_LOSS: DpoLossDefinition = {
  name: 'aot',
  formula:
    'δ = sort(log π_θ(y_c) − log π_θ(y_r)) − sort(log π_ref(y_c) − log π_ref(y_r)); L = −(1−ε)·log σ(βδ) − ε·log σ(−βδ)',
  reference: 'Melnyk et al. 2024 (AOT), arXiv:2406.05882',
  trl: 'TRL 1.13 `trl/trainer/dpo_trainer.py`, `DPOTrainer._compute_loss`, branch `aot`',
  whenToUse: 'Paired data, larger micro-batches: aligns the whole distribution of margins (stochastic dominance).',
  perPair: (batch, params) => {
    const policy = sortAscending(sub(batch.policyChosen, batch.policyRejected)); // sorted policy log-odds (B)
    const reference = sortAscending(sub(batch.refChosen, batch.refRejected)); // sorted reference log-odds (B)
    return sigmoidLoss(sub(policy, reference), params); // (B)
  },
  stepZero: () => Math.LN2,
  usesLabelSmoothing: true,
  labelSmoothingBound: { max: 0.5, inclusive: true },
};
