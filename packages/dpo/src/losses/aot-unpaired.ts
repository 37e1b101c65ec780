import { sub } from '@rlhf/core';
import type { DpoLossDefinition } from './dpo-loss.js';
import { batchLogRatios } from './log-ratio-difference.js';
import { sigmoidLoss } from './sigmoid.js';
import { sortAscending } from './sort-ascending.js';

/**
 * AOT for unpaired data: the chosen and rejected log-ratios are sorted separately, so the k-th smallest
 * chosen log-ratio is compared with the k-th smallest rejected one (the pairing inside the batch is ignored):
 *
 * `δ = sort(c_c) − sort(c_r)`, `L = −(1−ε)·log σ(βδ) − ε·log σ(−βδ)`
 *
 * Melnyk et al. 2024, "Distributional Preference Alignment of LLMs via Optimal Transport" (arXiv:2406.05882),
 * the unpaired AOT loss. Matches TRL 1.13 `trl/trainer/dpo_trainer.py`, `DPOTrainer._compute_loss`, branch
 * `aot_unpaired` (called `aot_pair` in TRL 0.x). Sorting is within the micro-batch. At policy = reference it
 * is ln 2. c_c, c_r (B) → (B), in sorted order.
 *
 * @example
 * ```ts
 * const losses = AOT_UNPAIRED_LOSS.perPair(batch, { beta: 0.1, label_smoothing: 0 }, null); // (B)
 * ```
 */
export const AOT_UNPAIRED_LOSS: DpoLossDefinition = {
  name: 'aot_unpaired',
  formula: 'δ = sort(c_c) − sort(c_r); L = −(1−ε)·log σ(βδ) − ε·log σ(−βδ)',
  reference: 'Melnyk et al. 2024 (AOT), arXiv:2406.05882',
  trl: 'TRL 1.13 `trl/trainer/dpo_trainer.py`, `DPOTrainer._compute_loss`, branch `aot_unpaired`',
  whenToUse: 'Chosen and rejected responses that are not true pairs (different prompts in one batch).',
  perPair: (batch, params) => {
    const { chosen, rejected } = batchLogRatios(batch);
    return sigmoidLoss(sub(sortAscending(chosen), sortAscending(rejected)), params); // (B)
  },
  stepZero: () => Math.LN2,
  usesLabelSmoothing: true,
  labelSmoothingBound: { max: 0.5, inclusive: true },
};
