import { logSigmoid, mul, neg, sub, type Tensor } from '@rlhf/core';
import { logOdds } from './log-odds.js';

/** Per-pair parts of the ORPO objective, each (B), on the tape. */
export interface OrpoLossParts {
  /** `L_SFT + λ·L_OR` per pair: what the trainer sums. */
  loss: Tensor;
  /** `L_SFT = −ℓ_chosen`, the chosen response's mean token negative log-likelihood. */
  nll: Tensor;
  /** `log odds(y_c|x) − log odds(y_r|x)`, the log odds ratio (TRL logs its mean as `log_odds_chosen`). */
  logOddsRatio: Tensor;
  /** `log σ(log odds ratio)` = −L_OR (TRL logs its mean as `log_odds_ratio`). */
  logSigmoidRatio: Tensor;
}

/**
 * ORPO's objective per pair from the length-averaged log-probabilities of the chosen and rejected
 * responses (`ℓ = (1/|y|) Σ_t log π_θ(y_t | x, y_<t)`), with no reference model:
 *
 * `L = L_SFT + λ·L_OR`, `L_SFT = −ℓ_c`, `L_OR = −log σ(log odds(y_c|x) − log odds(y_r|x))`,
 * `log odds(y|x) = ℓ − log(1 − e^ℓ)`
 *
 * Hong et al. 2024, "ORPO: Monolithic Preference Optimization without Reference Model", eq. 6
 * (`L_ORPO = E[L_SFT + λ·L_OR]`) and eq. 7 (`L_OR`); λ is `beta`, as in TRL's `ORPOConfig` (TRL main,
 * 1.1.0.dev0, `trl/experimental/orpo/orpo_trainer.py`: `loss = nll − mean(β·log σ(log_odds))`). `L_SFT` is the
 * per-pair mean over the chosen response's tokens (TRL averages over the chosen rows' prompt and response
 * tokens of the batch; see the package's decision notes). At equal log-probabilities the odds ratio is 1 and
 * `L_OR = ln 2`. chosenMean (B), rejectedMean (B) → parts (B).
 *
 * @example
 * ```ts
 * const { loss, nll } = orpoLoss(chosenMean, rejectedMean, 0.1); // (B), (B)
 * ```
 */
export function orpoLoss(chosenMean: Tensor, rejectedMean: Tensor, beta: number): OrpoLossParts {
  const logOddsRatio = sub(logOdds(chosenMean), logOdds(rejectedMean)); // (B)
  const logSigmoidRatio = logSigmoid(logOddsRatio); // log σ(·) = −L_OR, (B)
  const nll = neg(chosenMean); // L_SFT, (B)
  return { loss: sub(nll, mul(logSigmoidRatio, beta)), nll, logOddsRatio, logSigmoidRatio };
}
