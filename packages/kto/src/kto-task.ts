import {
  mul,
  noGrad,
  scalar,
  slice,
  sub,
  sum,
  type TaskMetric,
  type Tensor,
  type TrainingTask,
  tensor,
} from '@rlhf/core';
import { type DPOModel, sequenceLogProbs } from '@rlhf/dpo';
import { collateSequences, klPairs } from './data/collate-sequences.js';
import type { TokenizedKto } from './data/prepare-kto-data.js';
import type { KtoReference } from './kto-reference.js';
import { klReferencePoint } from './losses/kl-reference-point.js';
import { type KtoLossParams, ktoLoss } from './losses/kto-loss.js';

/**
 * Names of the raw metrics every train record of the loop carries, summed over the logging window; the
 * trainer turns them into TRL's logged names (`rewards/chosen` = `rewards/chosen_sum / count/chosen`, …).
 */
export const KTO_RAW_METRICS = [
  'count/chosen',
  'count/rejected',
  'rewards/chosen_sum',
  'rewards/rejected_sum',
  'logps/chosen_sum',
  'logps/rejected_sum',
  'kl',
] as const;

/**
 * KTO's objective for the shared loop. Per micro-batch of B examples (prompt x_i, completion y_i, label d_i):
 *
 * 1. one forward pass of the policy over the (B, T) batch on the tape → `log π_θ(y_i|x_i)`, (B);
 * 2. (`loss_type: 'kto'`) the mismatched pairs (x_i, y_{i−1}) of {@link klPairs}: the policy's log-probs under
 *    `noGrad` (TRL computes them under `torch.no_grad()`), (B);
 * 3. the reference's log-probs of both, one (2B, T) forward pass under `noGrad` → (B), (B);
 * 4. `r_i = log π_θ(y_i|x_i) − log π_ref(y_i|x_i)` (B); z₀ = {@link klReferencePoint} (scalar, detached, ≥ 0);
 * 5. per-example losses of {@link ktoLoss} (B), summed (the loop divides by the examples of the whole step —
 *    TRL's `losses.nanmean()` per batch, scaled for accumulation);
 * 6. metrics off the tape, summed per class as TRL stores them (`rewards/chosen_sum` = Σ_{d=1} β·r_i,
 *    `logps/chosen_sum` = Σ_{d=1} log π_θ(y_i|x_i), `count/chosen`, and the same for `rejected`), and `kl` = z₀·B
 *    (a mean over examples, so the logged value is the examples-weighted mean of the micro-batches' z₀).
 *
 * Units: examples; tokens: every real token fed to the policy (both passes).
 *
 * @example
 * ```ts
 * const task = ktoTask(model, reference, { loss_type: 'kto', beta: 0.1, desirable_weight: 1, undesirable_weight: 1 }, 0, 1024);
 * ```
 */
export function ktoTask(
  model: DPOModel,
  reference: KtoReference,
  params: KtoLossParams,
  padId: number,
  maxSeqLength: number,
): TrainingTask<TokenizedKto> {
  const withKl = params.loss_type === 'kto';
  const tokensOf = (rows: readonly { prompt: readonly number[]; completion: readonly number[] }[]) =>
    rows.reduce((a, r) => a + r.prompt.length + r.completion.length, 0);
  return {
    measure: (items) => ({
      units: items.length,
      tokens: tokensOf(items) + (withKl ? tokensOf(klPairs(items, maxSeqLength)) : 0),
    }),
    loss: (items) => {
      const b = items.length;
      const backend = model.backend;
      const batch = collateSequences(backend, items, padId);
      const policy = sequenceLogProbs(model.forward(batch.inputIds).logits, batch.labels); // (B, T, V) → (B), on the tape
      const desirable = tensor(
        backend,
        items.map((i) => (i.label ? 1 : 0)),
        [b],
      ); // d (B), float32
      let refLogps: Tensor;
      let z0 = scalar(backend, 0);
      if (withKl) {
        const kl = klPairs(items, maxSeqLength);
        const klBatch = collateSequences(backend, kl, padId);
        const policyKl = noGrad(() => sequenceLogProbs(model.forward(klBatch.inputIds).logits, klBatch.labels)); // (B)
        const both = reference.score(collateSequences(backend, [...items, ...kl], padId)); // (2B): matched, then mismatched
        refLogps = slice(both, [0], [b]); // (B)
        z0 = klReferencePoint(policyKl, slice(both, [b], [b])); // scalar
      } else {
        refLogps = reference.score(batch); // (B)
      }
      const logRatios = sub(policy, refLogps); // r (B)
      const losses = ktoLoss({ logRatios, desirable, z0 }, params); // (B)
      const metrics = noGrad(() => {
        const rewards = mul(logRatios, params.beta); // β·r (B)
        const undesirable = sub(1, desirable); // 1 − d (B)
        const total = (value: Tensor): TaskMetric => ({ value, reduce: 'sum' });
        return {
          'count/chosen': total(sum(desirable)),
          'count/rejected': total(sum(undesirable)),
          'rewards/chosen_sum': total(sum(mul(rewards, desirable))),
          'rewards/rejected_sum': total(sum(mul(rewards, undesirable))),
          'logps/chosen_sum': total(sum(mul(policy, desirable))),
          'logps/rejected_sum': total(sum(mul(policy, undesirable))),
          kl: { value: mul(z0, b), reduce: 'mean' },
        } satisfies Record<(typeof KTO_RAW_METRICS)[number], TaskMetric>;
      });
      return { loss: sum(losses), metrics };
    },
  };
}
