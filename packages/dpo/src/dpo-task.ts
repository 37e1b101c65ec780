import { cast, greater, mul, noGrad, sub, sum, type Tensor, type TrainingTask, tensor } from '@rlhf/core';
import type { TruncatedPair } from '@rlhf/preference-data';
import { collatePairs } from '@rlhf/preference-data';
import type { DPOModel } from './dpo-model.js';
import type { DpoLossBatch, DpoLossDefinition, DpoLossParams, DpoLossState } from './losses/dpo-loss.js';
import { type WeightedDpoLoss, weightedDpoLoss } from './losses/loss-selection.js';
import type { ReferenceScorer } from './reference-scorer.js';
import { concatenatedLogProbs } from './sequence-log-probs.js';

/** One training item: a tokenised pair and, when precomputed, its reference log-probabilities. */
export interface DPOItem {
  /** The tokenised, truncated pair. */
  pair: TruncatedPair;
  /** Reference log-probabilities scored once before training (`precompute_ref_log_probs`), else `null`. */
  ref: ReferenceLogProbs | null;
}

/** Summed reference log-probabilities of one pair. */
export interface ReferenceLogProbs {
  /** log π_ref(y_c|x). */
  chosen: number;
  /** log π_ref(y_r|x). */
  rejected: number;
}

/** Names of the metrics every train record carries (means per pair over the logging window). */
export const DPO_METRICS = [
  'chosen_rewards',
  'rejected_rewards',
  'reward_margin',
  'reward_accuracy',
  'chosen_logps',
  'rejected_logps',
] as const;

/** DPO's task for the shared loop, with the states of its losses (freed by {@link DPOTrainingTask.dispose}). */
export interface DPOTrainingTask extends TrainingTask<DPOItem> {
  /** Frees the losses' state tensors (end of the run). */
  dispose(): void;
}

/**
 * DPO's objective for the shared loop. Per micro-batch of B pairs:
 *
 * 1. one forward pass of the policy over the concatenated (2B, T) batch → `log π_θ(y_c|x)`, `log π_θ(y_r|x)`, (B) each;
 * 2. the reference's (precomputed, or scored now under `noGrad`) → `log π_ref(y_c|x)`, `log π_ref(y_r|x)`;
 * 3. per-pair losses, (B): one registry loss, or the weighted sum `Σ_k w_k · L_k` of a `loss_type` list
 *    (each loss reads the log-probs, the response lengths and, for `bco_pair`, its running-mean state, which
 *    the task saves in checkpoints: `state`);
 * 4. the loss summed over pairs (the loop divides by the pairs of the whole optimizer step), and the
 *    metrics summed over pairs, off the tape: implicit rewards `β·c_chosen`, `β·c_rejected` (Rafailov et
 *    al. 2023, §5: r̂(x, y) = β log π_θ(y|x)/π_ref(y|x)), their margin, accuracy (margin > 0), and the
 *    policy's log-probs.
 *
 * Units: pairs; tokens: every real token of both sequences.
 *
 * @example
 * ```ts
 * const task = dpoTask(model, scorer, DPO_LOSSES.sigmoid, { beta: 0.1, label_smoothing: 0 }, padId);
 * ```
 */
export function dpoTask(
  model: DPOModel,
  scorer: ReferenceScorer | null,
  loss: DpoLossDefinition | readonly WeightedDpoLoss[],
  params: DpoLossParams,
  padId: number,
): DPOTrainingTask {
  const terms: readonly WeightedDpoLoss[] = Array.isArray(loss)
    ? loss
    : [{ definition: loss as DpoLossDefinition, weight: 1 }];
  const states: (DpoLossState | null)[] = terms.map((t) => t.definition.createState?.(model.backend) ?? null);
  const stateful = terms.flatMap((t, k) => (states[k] ? [{ key: `${k}:${t.definition.name}`, state: states[k] }] : []));
  return {
    ...(stateful.length === 0
      ? {}
      : {
          state: {
            save: async () => {
              const out: Record<string, Record<string, number>> = {};
              for (const { key, state } of stateful) out[key] = await state.save();
              return out;
            },
            restore: (saved: unknown) => {
              const all = (saved ?? {}) as Record<string, Record<string, number> | undefined>;
              for (const { key, state } of stateful) state.restore(all[key] ?? null);
            },
          },
        }),
    dispose: () => {
      for (const state of states) state?.dispose();
    },
    measure: (items) => ({
      units: items.length,
      tokens: items.reduce((a, { pair: p }) => a + 2 * p.prompt.length + p.chosen.length + p.rejected.length, 0),
    }),
    loss: (items) => {
      const batch = collatePairs(
        model.backend,
        items.map((i) => i.pair),
        padId,
      );
      const policy = concatenatedLogProbs(model, batch); // (B), (B) on the tape
      const ref = referenceOf(items, model, scorer, batch);
      const lossBatch: DpoLossBatch = {
        policyChosen: policy.chosen,
        policyRejected: policy.rejected,
        refChosen: ref.chosen,
        refRejected: ref.rejected,
        chosenLengths: lengths(model, items, 'chosen'),
        rejectedLengths: lengths(model, items, 'rejected'),
      };
      const perPair = weightedDpoLoss(terms, lossBatch, params, states); // (B)
      const metrics = noGrad(() => {
        const chosenRewards = mul(sub(policy.chosen, ref.chosen), params.beta); // β·c_chosen (B)
        const rejectedRewards = mul(sub(policy.rejected, ref.rejected), params.beta); // β·c_rejected (B)
        const margin = sub(chosenRewards, rejectedRewards);
        return {
          chosen_rewards: sum(chosenRewards),
          rejected_rewards: sum(rejectedRewards),
          reward_margin: sum(margin),
          reward_accuracy: sum(cast(greater(margin, 0), 'float32')),
          chosen_logps: sum(policy.chosen),
          rejected_logps: sum(policy.rejected),
        } satisfies Record<(typeof DPO_METRICS)[number], Tensor>;
      });
      return { loss: sum(perPair), metrics };
    },
  };
}

/** Scored tokens of each pair's chosen or rejected response (at least 1), (B) float32. */
function lengths(model: DPOModel, items: readonly DPOItem[], side: 'chosen' | 'rejected'): Tensor {
  return tensor(
    model.backend,
    items.map((i) => Math.max(1, i.pair[side].length)),
    [items.length],
  );
}

function referenceOf(
  items: readonly DPOItem[],
  model: DPOModel,
  scorer: ReferenceScorer | null,
  batch: Parameters<ReferenceScorer['score']>[0],
) {
  if (items.every((i) => i.ref !== null)) {
    const b = items.length;
    return {
      chosen: tensor(
        model.backend,
        items.map((i) => i.ref?.chosen as number),
        [b],
      ),
      rejected: tensor(
        model.backend,
        items.map((i) => i.ref?.rejected as number),
        [b],
      ),
    };
  }
  if (!scorer) throw new Error('DPOTrainer: no reference log-probabilities (internal error)');
  return scorer.score(batch);
}
