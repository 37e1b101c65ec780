import { broadcastTo, div, neg, sum } from '@rlhf/core';
import type { DpoLossDefinition } from './dpo-loss.js';

/**
 * SFT: the negative log-likelihood of the chosen responses, averaged over their tokens in the micro-batch,
 * given to every pair alike:
 *
 * `L = −Σ_b log π_θ(y_c,b|x_b) / Σ_b |y_c,b|` (the same value for each of the B pairs)
 *
 * The NLL term of RPO (Pang et al. 2024, "Iterative Reasoning Preference Optimization", arXiv:2404.19733)
 * and of MPO (Wang et al. 2024, "Enhancing the Reasoning Ability of Multimodal Large Language Models via
 * Mixed Preference Optimization", arXiv:2411.10442: `sigmoid` + `bco_pair` + `sft`). Matches TRL 1.13
 * `trl/trainer/dpo_trainer.py`, `DPOTrainer._compute_loss`, branch `sft` (cross-entropy over the
 * micro-batch's chosen completion tokens, expanded to B). Needs no reference; not a constant at step 0 (it is
 * the model's NLL per chosen token). log π_θ(y_c) (B), |y_c| (B) → (B).
 *
 * @example
 * ```ts
 * const losses = SFT_LOSS.perPair(batch, { beta: 0.1, label_smoothing: 0 }, null); // (B), all equal
 * ```
 */
export const SFT_LOSS: DpoLossDefinition = {
  name: 'sft',
  formula: 'L = −Σ_b log π_θ(y_c,b|x_b) / Σ_b |y_c,b|',
  reference: 'Pang et al. 2024 (RPO), arXiv:2404.19733; Wang et al. 2024 (MPO), arXiv:2411.10442',
  trl: 'TRL 1.13 `trl/trainer/dpo_trainer.py`, `DPOTrainer._compute_loss`, branch `sft`',
  whenToUse: 'Only in a list (MPO, RPO): keeps the chosen responses likely while a preference loss separates pairs.',
  perPair: (batch) => {
    const b = batch.policyChosen.shape[0] as number;
    const nll = div(neg(sum(batch.policyChosen)), sum(batch.chosenLengths)); // scalar: NLL per chosen token
    return broadcastTo(nll, [b]); // (B)
  },
  stepZero: null,
  usesLabelSmoothing: false,
  labelSmoothingBound: { max: 0.5, inclusive: true },
};
