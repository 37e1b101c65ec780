/// <reference types="node" />
import { type BackendChoice, Random, toBackend } from '@rlhf/core';
import { createRewardModel, modelFromContent, type RewardScoringModel } from '@rlhf/models';
import { readHfDirectory, writeHfDirectory } from '@rlhf/models/node';
import { rewardModelFromContent, rewardModelToContent } from '../io/reward-model-content.js';

/** Options of {@link loadRewardModel}. */
export interface LoadRewardModelOptions {
  /** A backend object or name (`'js'`, ...). @defaultValue the fastest installed */
  backend?: BackendChoice;
  /**
   * When the directory holds a plain causal LM (no `score.weight`), add a new scalar head initialised from
   * this seed instead of throwing — what `rlhf reward` does before training. @defaultValue undefined (throw)
   */
  newHeadSeed?: number;
}

/**
 * Saves a reward model as a Hugging Face directory (`config.json` with `score_normalization`,
 * `model.safetensors`, tokenizer files), written aside and renamed into place.
 *
 * @example
 * ```ts
 * import { saveRewardModel } from '@rlhf/reward/node';
 * await saveRewardModel(rm, 'out/reward');
 * ```
 */
export async function saveRewardModel(model: RewardScoringModel, dir: string): Promise<void> {
  await writeHfDirectory(dir, await rewardModelToContent(model));
}

/**
 * Loads a reward model saved by {@link saveRewardModel} (or by transformers as
 * `...ForSequenceClassification` with `num_labels: 1`) onto a backend, with its tokenizer and its
 * recorded μ, σ. A directory of a plain causal LM throws `NotARewardModelError`, unless `newHeadSeed` is
 * given: then the LM gets a fresh scalar head (its backbone copied, its tokenizer carried over).
 *
 * @example
 * ```ts
 * import { loadRewardModel } from '@rlhf/reward/node';
 * const rm = await loadRewardModel('out/reward', { backend: 'js' });
 * const fresh = await loadRewardModel('models/sft', { newHeadSeed: 42 }); // LM + new head, for training
 * ```
 */
export async function loadRewardModel(
  dir: string,
  { backend, newHeadSeed }: LoadRewardModelOptions = {},
): Promise<RewardScoringModel> {
  const content = await readHfDirectory(dir);
  const resolved = await toBackend(backend);
  if (newHeadSeed !== undefined && !content.tensors.has('score.weight')) {
    const lm = modelFromContent(content, resolved);
    const rm = createRewardModel(lm, new Random(newHeadSeed));
    lm.dispose();
    return rm;
  }
  return rewardModelFromContent(content, resolved);
}
