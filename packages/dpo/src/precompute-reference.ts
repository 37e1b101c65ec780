import { tidy } from '@rlhf/core';
import { collatePairs } from '@rlhf/preference-data';
import type { DPOModel } from './dpo-model.js';
import type { DPOItem } from './dpo-task.js';
import type { ReferenceScorer } from './reference-scorer.js';

/**
 * Scores every pair under the reference once, `batchSize` pairs per forward pass, and stores the summed
 * log-probabilities in the items (TRL's `precompute_ref_log_probs`). Leaves no device memory behind.
 *
 * @example
 * ```ts
 * await precomputeReference(items, scorer, model, 2, padId);
 * items[0].ref; // { chosen: -42.1, rejected: -47.9 }
 * ```
 */
export async function precomputeReference(
  items: DPOItem[],
  scorer: ReferenceScorer,
  model: DPOModel,
  batchSize: number,
  padId: number,
): Promise<void> {
  for (let s = 0; s < items.length; s += batchSize) {
    const chunk = items.slice(s, s + batchSize);
    const { chosen, rejected } = tidy(() =>
      scorer.score(
        collatePairs(
          model.backend,
          chunk.map((i) => i.pair),
          padId,
        ),
      ),
    );
    const c = await chosen.data();
    const r = await rejected.data();
    chosen.dispose();
    rejected.dispose();
    chunk.forEach((item, k) => {
      item.ref = { chosen: c[k] as number, rejected: r[k] as number };
    });
  }
}
