import { add, square, sub } from '@rlhf/core';
import type { DpoLossDefinition } from './dpo-loss.js';
import { batchLogRatios } from './log-ratio-difference.js';

/**
 * SPPO with hard labels: regress the chosen log-ratio to `+1/(2β)` and the rejected one to `−1/(2β)`:
 *
 * `L = (c_c − 1/(2β))² + (c_r + 1/(2β))²`
 *
 * Wu et al. 2024, "Self-Play Preference Optimization for Language Model Alignment" (arXiv:2405.00675),
 * eq. 4.7 of Algorithm 1 with the win probability set to 1 for the chosen and 0 for the rejected response
 * (the paper estimates it with PairRM; with hard labels `P − ½ = ±½`, and β is the paper's 1/η). Matches TRL
 * 1.13 `trl/trainer/dpo_trainer.py`, `DPOTrainer._compute_loss`, branch `sppo_hard`. At policy = reference it
 * is `2·(1/(2β))² = 1/(2β²)` (50 at β = 0.1). `label_smoothing` is ignored. c_c, c_r (B) → (B).
 *
 * @example
 * ```ts
 * const losses = SPPO_HARD_LOSS.perPair(batch, { beta: 0.1, label_smoothing: 0 }, null); // (B)
 * ```
 */
export const SPPO_HARD_LOSS: DpoLossDefinition = {
  name: 'sppo_hard',
  formula: 'L = (c_c − 1/(2β))² + (c_r + 1/(2β))²',
  reference: 'Wu et al. 2024 (SPPO), arXiv:2405.00675, eq. 4.7 with hard labels',
  trl: 'TRL 1.13 `trl/trainer/dpo_trainer.py`, `DPOTrainer._compute_loss`, branch `sppo_hard`',
  whenToUse: 'Iterative self-play rounds with a winner and a loser: pins each log-ratio to a finite target.',
  perPair: (batch, { beta }) => {
    const { chosen, rejected } = batchLogRatios(batch);
    const half = 0.5 / beta; // 1/(2β)
    return add(square(sub(chosen, half)), square(add(rejected, half))); // (B)
  },
  stepZero: ({ beta }) => 0.5 / (beta * beta),
  usesLabelSmoothing: false,
  labelSmoothingBound: { max: 0.5, inclusive: true },
};
