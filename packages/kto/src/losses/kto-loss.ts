import { add, mul, sigmoid, sub, type Tensor } from '@rlhf/core';

/** The loss types of TRL's `KTOConfig.loss_type`. */
export const KTO_LOSS_TYPES = ['kto', 'apo_zero_unpaired'] as const;

/** A `loss_type` of {@link KTO_LOSS_TYPES}. */
export type KtoLossType = (typeof KTO_LOSS_TYPES)[number];

/** The hyper-parameters of {@link ktoLoss}. */
export interface KtoLossParams {
  /** `'kto'` or `'apo_zero_unpaired'`. */
  loss_type: KtoLossType;
  /** β > 0. */
  beta: number;
  /** λ_D ≥ 0, the weight of desirable examples. */
  desirable_weight: number;
  /** λ_U ≥ 0, the weight of undesirable examples. */
  undesirable_weight: number;
}

/** What {@link ktoLoss} reads: per-example log-ratios, labels and the reference point. */
export interface KtoLossInputs {
  /** r_θ(x, y) = log π_θ(y|x) − log π_ref(y|x) of each example, (B), on the tape. */
  logRatios: Tensor;
  /** 1 for a desirable example, 0 for an undesirable one, float32 (B). */
  desirable: Tensor;
  /** z₀, the detached reference point (scalar; 0 for `apo_zero_unpaired`, which has none). */
  z0: Tensor | number;
}

/**
 * Per-example KTO-family losses (B), the desirable and undesirable branches chosen by `desirable`:
 *
 * - `kto` (Ethayarajh et al. 2024, eq. 7: `L_KTO = E[λ_y − v(x, y)]` with
 *   `v = λ_D·σ(β(r − z₀))` for desirable and `λ_U·σ(β(z₀ − r))` for undesirable y, so `λ_y − v = λ_y·(1 − σ(…))`):
 *   desirable `L = λ_D · (1 − σ(β·(r − z₀)))`, undesirable `L = λ_U · (1 − σ(β·(z₀ − r)))`;
 * - `apo_zero_unpaired` (D'Oosterlinck et al. 2024, "Anchored Preference Optimization", eq. 7, the unpaired
 *   variant): desirable `L = λ_D · (1 − σ(β·r))`, undesirable `L = λ_U · σ(β·r)` (no reference point).
 *
 * With r the log-ratio of each example. Matches TRL 1.x `KTOTrainer.kto_loss` (trl/experimental/kto/kto_trainer.py),
 * which concatenates `desirable_weight · chosen_losses` and `undesirable_weight · rejected_losses` and averages
 * them over the batch (the shared loop divides the sum by the examples of the step). At r = z₀ = 0 (policy =
 * reference) every example's loss is 0.5·λ. logRatios (B), desirable (B) → (B).
 *
 * @example
 * ```ts
 * const losses = ktoLoss({ logRatios, desirable, z0 }, { loss_type: 'kto', beta: 0.1, desirable_weight: 1, undesirable_weight: 1 }); // (B)
 * ```
 */
export function ktoLoss(inputs: KtoLossInputs, params: KtoLossParams): Tensor {
  const { logRatios: r, desirable: d, z0 } = inputs;
  const { beta, desirable_weight: wD, undesirable_weight: wU } = params;
  let chosen: Tensor; // (B): the loss each example would have if desirable
  let rejected: Tensor; // (B): … if undesirable
  if (params.loss_type === 'kto') {
    chosen = sub(1, sigmoid(mul(sub(r, z0), beta))); // 1 − σ(β(r − z₀))
    rejected = sub(1, sigmoid(mul(sub(z0, r), beta))); // 1 − σ(β(z₀ − r))
  } else {
    chosen = sub(1, sigmoid(mul(r, beta))); // 1 − σ(βr)
    rejected = sigmoid(mul(r, beta)); // σ(βr)
  }
  // d·λ_D·chosen + (1 − d)·λ_U·rejected: each example keeps its own branch, (B)
  return add(mul(mul(chosen, d), wD), mul(mul(rejected, sub(1, d)), wU));
}
