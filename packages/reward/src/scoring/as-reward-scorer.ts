import type { RewardScoringModel } from '@rlhf/models';
import { NotARewardModelError } from '../errors/reward-errors.js';

function describe(model: unknown): string {
  if (model === null || typeof model !== 'object') return model === null ? 'null' : `a ${typeof model}`;
  const name = (model as { constructor?: { name?: string } }).constructor?.name ?? 'object';
  if ('lm_head' in model || 'logitsOf' in model) return `a causal language model (${name}) with no scalar head`;
  return `a ${name} with no scalar head`;
}

/**
 * Checks that `model` is a sequence scorer — it has `scoreBatch` and a scalar head `score` whose weight is
 * (1, D) — and returns it typed; otherwise throws {@link NotARewardModelError} saying what was given. The
 * check is structural, so a model from another copy of `@rlhf/models` passes.
 *
 * @example
 * ```ts
 * const rm = asRewardScorer(createRewardModel(lm, new Random(42))); // ok
 * asRewardScorer(lm); // throws NotARewardModelError: ... a causal language model (LlamaForCausalLM) ...
 * ```
 */
export function asRewardScorer(model: unknown): RewardScoringModel {
  const candidate = model as Partial<RewardScoringModel> | null;
  const weight = candidate?.score?.weight;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.scoreBatch !== 'function' ||
    !weight ||
    weight.rank !== 2 ||
    weight.shape[0] !== 1
  ) {
    throw new NotARewardModelError(describe(model));
  }
  return candidate as RewardScoringModel;
}
