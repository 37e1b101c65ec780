/**
 * The learnable-property experiment of the online trainers: stories260K continues short story openings;
 * the reward is 1 when the completion uses the word "big" (a verifiable JavaScript rule), else 0. Training
 * should raise how often completions of held-out prompts use it.
 */
import type { TensorBackend } from '@rlhf/core';
import type { CausalLM } from '@rlhf/models';
import {
  STORY_HAS_BIG,
  STORY_HELD_OUT_PROMPTS,
  STORY_TRAIN_PROMPTS,
  sampleStoryContinuations,
  storyBigRate,
} from '@rlhf/models/testing';
import type { OnlineResult } from '../online-result.js';
import type { RewardFunction } from '../rewards/reward-function.js';
import { loadStories260K } from './data.js';

/** The plain rule: the continuation contains the word "big" (shared with the other trainers' tests). */
export const HAS_PROPERTY = STORY_HAS_BIG;

/** The reward function: 1 when the completion uses "big". */
export const containsBig: RewardFunction = (_prompts, completions) => completions.map((c) => (HAS_PROPERTY(c) ? 1 : 0));

export const TRAIN_PROMPTS = STORY_TRAIN_PROMPTS;

export const HELD_OUT_PROMPTS = STORY_HELD_OUT_PROMPTS;

/**
 * Share of sampled completions of `prompts` that have the property: `n` samples per prompt of `tokens`
 * tokens at temperature 1, with fixed seeds (the same before and after training).
 */
export async function propertyRate(
  model: CausalLM,
  prompts: readonly string[],
  n: number,
  tokens: number,
): Promise<number> {
  return storyBigRate(await sampleStoryContinuations(model, prompts, n, tokens, 1000));
}

/** What one experiment measured. */
export interface PropertyReport {
  rateBefore: number;
  rateAfter: number;
  samplesPerRate: number;
  result: OnlineResult;
  seconds: number;
}

/** Runs `train` on a fresh stories260K and measures the held-out rate before and after. */
export async function runPropertyExperiment(
  backend: TensorBackend,
  train: (model: CausalLM) => Promise<OnlineResult>,
  evalSamples: number,
  evalTokens: number,
): Promise<PropertyReport> {
  const started = performance.now();
  const model = loadStories260K(backend);
  const rateBefore = await propertyRate(model, HELD_OUT_PROMPTS, evalSamples, evalTokens);
  const result = await train(model);
  const rateAfter = await propertyRate(model, HELD_OUT_PROMPTS, evalSamples, evalTokens);
  return {
    rateBefore,
    rateAfter,
    samplesPerRate: HELD_OUT_PROMPTS.length * evalSamples,
    result,
    seconds: (performance.now() - started) / 1000,
  };
}
