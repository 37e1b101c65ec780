import {
  add,
  cast,
  exp,
  greater,
  less,
  maximum,
  minimum,
  mul,
  neg,
  noGrad,
  reshape,
  sub,
  sum,
  type Tensor,
  type TensorBackend,
  tensor,
} from '@rlhf/core';
import type { GrpoLossType } from './online-config.js';

/** What the clipped surrogate needs, per micro-batch of N completions padded to T tokens. */
export interface SurrogateInput {
  /** log π_θ(o_t | q, o_<t), (N, T), on the tape. */
  logps: Tensor;
  /** log π_old(o_t | …) of the policy that sampled (constant), (N, T). */
  oldLogps: Tensor;
  /** log π_ref(o_t | …) of the frozen reference, (N, T); `null` when β = 0. */
  refLogps: Tensor | null;
  /** Advantage of each completion, (N). */
  advantages: Tensor;
  /** 1 for scored completion tokens, 0 for padding (and masked completions), (N, T) float32. */
  mask: Tensor;
  /** Weight of each token in the step's loss (zero where `mask` is), (N, T) float32: see {@link tokenWeights}. */
  weights: Tensor;
}

/** Coefficients of the clipped surrogate. */
export interface SurrogateParams {
  /** ε_low: ratios below 1 − ε are clipped. */
  epsilon: number;
  /** ε_high: ratios above 1 + ε_high are clipped. */
  epsilonHigh: number;
  /** β: weight of the k3 KL term (0: none). */
  beta: number;
}

/** The surrogate's loss and its metrics' sums over the micro-batch's scored tokens. */
export interface SurrogateOutput {
  /** Σ_{i,t} w_{i,t} · ℓ_{i,t}: this micro-batch's share of the step's loss, scalar, on the tape. */
  loss: Tensor;
  /** Σ mask · KL_k3 (scalar, off the tape; 0 without a reference). */
  klSum: Tensor;
  /** Σ mask · [ratio < 1 − ε and A < 0]. */
  lowClipped: Tensor;
  /** Σ mask · [ratio > 1 + ε_high and A > 0]. */
  highClipped: Tensor;
}

/**
 * The k3 estimator of KL(π_θ ‖ π_ref) per token (Schulman 2020, "Approximating KL divergence", k3;
 * DeepSeekMath eq. 4): D = exp(ref − logp) − (ref − logp) − 1 ≥ 0, as TRL v1.0 `grpo_trainer.py`'s
 * `per_token_kl`. (N, T), (N, T) → (N, T).
 *
 * @example
 * ```ts
 * const kl = k3Kl(logps, refLogps); // (N, T)
 * ```
 */
export function k3Kl(logps: Tensor, refLogps: Tensor): Tensor {
  const d = sub(refLogps, logps); // (N, T)
  return sub(sub(exp(d), d), 1);
}

/**
 * The clipped surrogate of PPO (Schulman et al. 2017, eq. 7) per token, as GRPO uses it (DeepSeekMath eq. 3)
 * with DAPO's decoupled clip range (Yu et al. 2025, eq. 10), matching TRL v1.0 `grpo_trainer.py`'s
 * `_compute_loss`:
 *
 *   r_{i,t} = exp(logp − old_logp);  ℓ_{i,t} = −min(r·A_i, clip(r, 1 − ε, 1 + ε_high)·A_i) + β·KL_k3
 *
 * and the loss of the micro-batch is Σ_{i,t} w_{i,t}·ℓ_{i,t} with the `loss_type` weights of
 * {@link tokenWeights} (so the micro-batches of one step add up to the step's loss). Shapes: logps, old,
 * ref, mask, weights (N, T); advantages (N) → scalar loss; clip counts as TRL's `clip_ratio/low_mean`
 * (r < 1 − ε with A < 0) and `clip_ratio/high_mean` (r > 1 + ε_high with A > 0).
 *
 * @example
 * ```ts
 * const { loss } = clippedSurrogate(input, { epsilon: 0.2, epsilonHigh: 0.2, beta: 0.04 });
 * ```
 */
export function clippedSurrogate(input: SurrogateInput, p: SurrogateParams): SurrogateOutput {
  const [n] = input.logps.shape as [number, number];
  const adv = reshape(input.advantages, [n, 1]); // (N, 1) broadcast over tokens
  const ratio = exp(sub(input.logps, input.oldLogps)); // (N, T)
  const clipped = minimum(maximum(ratio, 1 - p.epsilon), 1 + p.epsilonHigh); // (N, T)
  let perToken = neg(minimum(mul(ratio, adv), mul(clipped, adv))); // (N, T)
  let kl: Tensor | null = null;
  if (p.beta !== 0 && input.refLogps) {
    kl = k3Kl(input.logps, input.refLogps);
    perToken = add(perToken, mul(kl, p.beta));
  }
  const loss = sum(mul(perToken, input.weights));
  const metrics = noGrad(() => {
    const f = (t: Tensor) => cast(t, 'float32');
    const low = mul(mul(f(less(ratio, 1 - p.epsilon)), f(less(adv, 0))), input.mask);
    const high = mul(mul(f(greater(ratio, 1 + p.epsilonHigh)), f(greater(adv, 0))), input.mask);
    return {
      klSum: kl ? sum(mul(kl, input.mask)) : tensor(input.mask.backend, [0], []),
      lowClipped: sum(low),
      highClipped: sum(high),
    };
  });
  return { loss, ...metrics };
}

/** What {@link tokenWeights} needs to know about the optimizer step a micro-batch belongs to. */
export interface StepShape {
  /** Completions in the whole optimizer step (all micro-batches). */
  sequences: number;
  /** Scored tokens in the whole step. */
  tokens: number;
  /** Micro-batches in the step. */
  microBatches: number;
  /** `max_completion_length` (Dr. GRPO's constant). */
  maxCompletionLength: number;
}

/**
 * Per-token weights that turn Σ_micro Σ_{i,t} w·ℓ into TRL v1.0's aggregation of `loss_type`
 * (`grpo_trainer.py`, `_compute_loss`), with a step of several micro-batches giving the same loss as one
 * big batch:
 *
 * - `'grpo'` (DeepSeekMath eq. 3): mean over each sequence's tokens, then over sequences: w = 1 / (|o_i|·N_step);
 * - `'bnpo'`: Σ ℓ / active tokens of the micro-batch, averaged over micro-batches: w = 1 / (tokens_micro·M);
 * - `'dr_grpo'` (Dr. GRPO eq. 3): Σ ℓ / (N_step · max_completion_length): w = 1 / (N_step·L);
 * - `'dapo'` (DAPO eq. 8, token-level): Σ ℓ / active tokens of the whole step: w = 1 / tokens_step.
 *
 * mask rows (N lists of 0/1, each T long) → weights (N·T, row-major), 0 where the mask is 0.
 *
 * @example
 * ```ts
 * tokenWeights([[1, 1, 0], [1, 0, 0]], 'grpo', { sequences: 2, tokens: 3, microBatches: 1, maxCompletionLength: 3 });
 * // [0.25, 0.25, 0, 0.5, 0, 0]
 * ```
 */
export function tokenWeights(mask: readonly (readonly number[])[], lossType: GrpoLossType, step: StepShape): number[] {
  const microTokens = mask.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0);
  const out: number[] = [];
  for (const row of mask) {
    const len = row.reduce((x, y) => x + y, 0);
    let w: number;
    if (lossType === 'grpo') w = 1 / (Math.max(len, 1) * step.sequences);
    else if (lossType === 'bnpo') w = 1 / (Math.max(microTokens, 1) * step.microBatches);
    else if (lossType === 'dr_grpo') w = 1 / (step.sequences * step.maxCompletionLength);
    else w = 1 / Math.max(step.tokens, 1);
    for (const m of row) out.push(m ? w : 0);
  }
  return out;
}

/**
 * RLOO's loss (TRL `rloo_trainer.py` `_compute_loss`, checked at commit 00313f2; Ahmadian et al. 2024 treat
 * the whole completion as one action):
 * a sequence-level ratio r_i = exp(Σ_t mask·(logp − old_logp)), clipped as PPO's (Schulman et al. 2017,
 * eq. 7) to [1 − ε, 1 + ε_high], ℓ_i = −min(r_i·A_i, clip(r_i)·A_i), and the step's loss the mean over its
 * N_step completions. The KL to the reference is not here: RLOO subtracts β·KL from the reward. Shapes:
 * logps, old, mask (N, T); advantages (N) → scalar (this micro-batch's share, Σ_i ℓ_i / N_step).
 *
 * @example
 * ```ts
 * const { loss } = sequenceClippedSurrogate(logps, old, adv, mask, 8, { epsilon: 0.2, epsilonHigh: 0.2, beta: 0 });
 * ```
 */
export function sequenceClippedSurrogate(
  logps: Tensor,
  oldLogps: Tensor,
  advantages: Tensor,
  mask: Tensor,
  stepSequences: number,
  p: SurrogateParams,
): SurrogateOutput {
  const logRatio = sum(mul(sub(logps, oldLogps), mask), -1); // (N)
  const ratio = exp(logRatio); // (N)
  const clipped = minimum(maximum(ratio, 1 - p.epsilon), 1 + p.epsilonHigh); // (N)
  const perSeq = neg(minimum(mul(ratio, advantages), mul(clipped, advantages))); // (N)
  const loss = mul(sum(perSeq), 1 / stepSequences);
  const metrics = noGrad(() => {
    const f = (t: Tensor) => cast(t, 'float32');
    return {
      klSum: tensor(mask.backend, [0], []),
      lowClipped: sum(mul(f(less(ratio, 1 - p.epsilon)), f(less(advantages, 0)))),
      highClipped: sum(mul(f(greater(ratio, 1 + p.epsilonHigh)), f(greater(advantages, 0)))),
    };
  });
  return { loss, ...metrics };
}

/**
 * A host (N, T) float32 tensor from rows.
 *
 * @example
 * ```ts
 * const mask = rowsTensor(backend, [[1, 1, 0]]); // (1, 3)
 * ```
 */
export function rowsTensor(backend: TensorBackend, rows: readonly (readonly number[])[]): Tensor {
  const t = rows[0]?.length ?? 0;
  return tensor(backend, Float32Array.from(rows.flat()), [rows.length, t]);
}
