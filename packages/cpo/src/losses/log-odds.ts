import { log, minimum, mul, sub, type Tensor, tanh } from '@rlhf/core';

/**
 * Largest length-averaged log-probability the odds are taken of: `P ≤ e^(−1e−6)`. At `log P = 0` (a
 * float32 softmax can round a near-certain token to exactly 1) the odds `P/(1−P)` are infinite and the
 * odds-ratio loss would have a NaN gradient; above this bound the log-probability is held at it (zero
 * gradient through the odds there; the NLL term still sees the true value).
 */
export const MAX_ODDS_LOG_PROB = -1e-6;

/**
 * `log(1 − e^x)` for `x < 0`, without cancellation near 0. With `t = tanh(x/2)`,
 * `e^x − 1 = 2t/(1 − t)` exactly, so `log(1 − e^x) = log(−2t) − log(1 − t)`: no `1 − e^x` is ever formed
 * (TRL's `log1mexp` in `trl/experimental/orpo/orpo_trainer.py` branches between `log1p(−e^x)` and
 * `log(−expm1(x))` for the same reason; core has neither `log1p` nor `expm1`, but `tanh` is exact for small
 * arguments). Every shape: x (…) → (…).
 *
 * @example
 * ```ts
 * log1mexp(tensor(backend, [-1e-4], [1])); // [log(9.9995e-5)] ≈ [-9.2104]
 * ```
 */
export function log1mexp(x: Tensor): Tensor {
  const t = tanh(mul(x, 0.5)); // tanh(x/2) ∈ (−1, 0) for x < 0
  return sub(log(mul(t, -2)), log(sub(1, t))); // log(−2t) − log(1 − t)
}

/**
 * Log-odds of a response from its length-averaged log-probability `ℓ = (1/|y|) Σ_t log π(y_t | x, y_<t)`:
 *
 * `log odds(y|x) = log (P / (1 − P)) = ℓ − log(1 − e^ℓ)`, with `P = e^ℓ`
 *
 * Hong et al. 2024, "ORPO: Monolithic Preference Optimization without Reference Model", §4.1: odds of
 * the length-normalised likelihood (the odds definition that eq. 7's ratio is built from); TRL main
 * (1.1.0.dev0) `trl/experimental/orpo/orpo_trainer.py`, `odds_ratio_loss`. `ℓ` is held at
 * {@link MAX_ODDS_LOG_PROB} at most so the odds stay finite. meanLogProbs (B) → (B).
 *
 * @example
 * ```ts
 * const logOddsChosen = logOdds(chosenMeanLogProbs); // (B)
 * ```
 */
export function logOdds(meanLogProbs: Tensor): Tensor {
  const l = minimum(meanLogProbs, MAX_ODDS_LOG_PROB); // ℓ ≤ −1e−6, (B)
  return sub(l, log1mexp(l)); // ℓ − log(1 − e^ℓ), (B)
}
