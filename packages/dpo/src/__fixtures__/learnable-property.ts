/**
 * The learnable-property experiment (issue 5's acceptance): preference pairs built from stories260K's own
 * sampled continuations, `chosen` = one that uses the word "big", `rejected` = one that does not (about 1 in 5
 * samples has it); DPO should raise how often continuations of held-out prompts use it. Used by the fast CI test and the longer run.
 */
import { createJsBackend } from '@rlhf/backend-js';
import { noGrad, tidy } from '@rlhf/core';
import type { CausalLM } from '@rlhf/models';
import {
  STORY_HAS_BIG,
  STORY_HELD_OUT_PROMPTS,
  STORY_TRAIN_PROMPTS,
  sampleStoryContinuations,
  storyBigPairs,
  storyBigRate,
} from '@rlhf/models/testing';
import type { TokenizedPreferencePair } from '@rlhf/preference-data';
import { collatePairs } from '@rlhf/preference-data';
import { type DPOConfig, type DPOResult, DPOTrainer } from '../index.js';
import { concatenatedLogProbs } from '../sequence-log-probs.js';
import { loadStories260K } from './data.js';

/** The plain rule: the continuation contains the word "big" (shared with the other trainers' tests). */
export const HAS_PROPERTY = STORY_HAS_BIG;

export const TRAIN_PROMPTS = STORY_TRAIN_PROMPTS;

export const HELD_OUT_PROMPTS = STORY_HELD_OUT_PROMPTS;

export interface ExperimentSettings {
  /** Samples per training prompt used to build pairs. */
  samplesPerPrompt: number;
  /** Most pairs per training prompt. */
  pairsPerPrompt: number;
  /** Tokens per sampled continuation. */
  continuationTokens: number;
  /** Samples per held-out prompt, before and after (total = this × 5). */
  evalSamplesPerPrompt: number;
  trainer: DPOConfig;
}

export interface ExperimentReport {
  pairs: number;
  heldOutPairs: number;
  /** Share of held-out samples with the property, before and after training. */
  rateBefore: number;
  rateAfter: number;
  samplesPerRate: number;
  /** Implicit-reward accuracy on pairs built the same way from the held-out prompts (never trained on). */
  heldOutAccuracy: number;
  /** Last logging window's reward accuracy on the training pairs. */
  trainAccuracy: number;
  result: DPOResult;
  examplesAfter: string[];
  /** Whole experiment, and the DPO training alone. */
  seconds: number;
  trainSeconds: number;
}

const sample = sampleStoryContinuations;

const pairsFrom = storyBigPairs;

const rate = storyBigRate;

/** Share of pairs where β·(c_chosen − c_rejected) > 0 under (policy, reference). */
async function pairAccuracy(policy: CausalLM, reference: CausalLM, pairs: TokenizedPreferencePair[]): Promise<number> {
  let correct = 0;
  for (let s = 0; s < pairs.length; s += 4) {
    const chunk = pairs.slice(s, s + 4).map((p) => ({
      prompt: [...p.prompt_input_ids],
      chosen: [...p.chosen_input_ids],
      rejected: [...p.rejected_input_ids],
      truncated: false,
      promptTruncated: false,
    }));
    const margin = tidy(() =>
      noGrad(() => {
        const batch = collatePairs(policy.backend, chunk, 0);
        const a = concatenatedLogProbs(policy, batch);
        const b = concatenatedLogProbs(reference, batch);
        return [a.chosen, a.rejected, b.chosen, b.rejected];
      }),
    );
    const [pc, pr, rc, rr] = await Promise.all(margin.map((t) => t.data()));
    for (const t of margin) t.dispose();
    for (let i = 0; i < chunk.length; i++) {
      if ((pc?.[i] as number) - (rc?.[i] as number) - ((pr?.[i] as number) - (rr?.[i] as number)) > 0) correct++;
    }
  }
  return correct / pairs.length;
}

/** Runs the whole experiment on backend-js. */
export async function runPropertyExperiment(settings: ExperimentSettings): Promise<ExperimentReport> {
  const started = performance.now();
  const backend = createJsBackend();
  const model = loadStories260K(backend);
  const reference = loadStories260K(backend);
  const trainSamples = await sample(model, TRAIN_PROMPTS, settings.samplesPerPrompt, settings.continuationTokens, 1000);
  const pairs = pairsFrom(trainSamples, settings.pairsPerPrompt);
  const heldOutSamples = await sample(
    model,
    HELD_OUT_PROMPTS,
    settings.samplesPerPrompt,
    settings.continuationTokens,
    5000,
  );
  const heldOutPairs = pairsFrom(heldOutSamples, settings.pairsPerPrompt);
  const before = await sample(
    model,
    HELD_OUT_PROMPTS,
    settings.evalSamplesPerPrompt,
    settings.continuationTokens,
    9000,
  );
  const trainer = new DPOTrainer(settings.trainer);
  const result = await trainer.huan_luyen(model, reference, pairs);
  const after = await sample(model, HELD_OUT_PROMPTS, settings.evalSamplesPerPrompt, settings.continuationTokens, 9000);
  const heldOutAccuracy = await pairAccuracy(model, reference, heldOutPairs);
  const accuracy = result.history.reward_accuracy;
  model.dispose();
  reference.dispose();
  return {
    pairs: pairs.length,
    heldOutPairs: heldOutPairs.length,
    rateBefore: rate(before),
    rateAfter: rate(after),
    samplesPerRate: before.flat().length,
    heldOutAccuracy,
    trainAccuracy: accuracy[accuracy.length - 1] as number,
    result,
    examplesAfter: after.map((g) => g[0]?.text ?? ''),
    seconds: (performance.now() - started) / 1000,
    trainSeconds: result.tong_thoi_gian,
  };
}
