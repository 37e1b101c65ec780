import { div, logSigmoid, mul, neg, sub } from '@rlhf/core';
import type { DpoLossDefinition } from './dpo-loss.js';
import { batchLogRatios } from './log-ratio-difference.js';

/**
 * Length-normalised DPO: DPO's sigmoid loss on log-ratios divided by each response's token count, so a
 * long response cannot win by length alone:
 *
 * `Δ_norm = c_c/|y_c| − c_r/|y_r|`, `L = −log σ(β·Δ_norm)`
 *
 * The length normalisation of SimPO (Meng et al. 2024, "SimPO: Simple Preference Optimization with a
 * Reference-Free Reward", arXiv:2405.14734, eq. 4), kept here with the reference's log-ratios as in Tülu 3's
 * length-normalised DPO. Matches TRL 1.13 `trl/trainer/dpo_trainer.py`, `DPOTrainer._compute_loss`, branch
 * `sigmoid_norm` (lengths = completion tokens, at least 1). At policy = reference it is ln 2.
 * `label_smoothing` is ignored. c_c, c_r, |y_c|, |y_r| (B) → (B).
 *
 * @example
 * ```ts
 * const losses = SIGMOID_NORM_LOSS.perPair(batch, { beta: 0.1, label_smoothing: 0 }, null); // (B)
 * ```
 */
export const SIGMOID_NORM_LOSS: DpoLossDefinition = {
  name: 'sigmoid_norm',
  formula: 'Δ_norm = c_c/|y_c| − c_r/|y_r|; L = −log σ(β·Δ_norm)',
  reference: 'Meng et al. 2024 (SimPO), arXiv:2405.14734, eq. 4 (length normalisation)',
  trl: 'TRL 1.13 `trl/trainer/dpo_trainer.py`, `DPOTrainer._compute_loss`, branch `sigmoid_norm`',
  whenToUse: 'Responses of very different lengths: compares per-token log-ratios, removing the length bias.',
  perPair: (batch, { beta }) => {
    const { chosen, rejected } = batchLogRatios(batch);
    const normalised = sub(div(chosen, batch.chosenLengths), div(rejected, batch.rejectedLengths)); // Δ_norm (B)
    return neg(logSigmoid(mul(normalised, beta))); // (B)
  },
  stepZero: () => Math.LN2,
  usesLabelSmoothing: false,
  labelSmoothingBound: { max: 0.5, inclusive: true },
};
