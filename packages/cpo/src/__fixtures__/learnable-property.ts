/**
 * The learnable-property experiment for the reference-free trainers (the same design as `@rlhf/dpo`'s):
 * preference pairs built from stories260K's own sampled continuations, `chosen` = one that uses the word
 * "big", `rejected` = one that does not (about 1 in 5 samples has it); training should raise how often
 * continuations of held-out prompts use it. The trainer is passed in, so ORPO and SimPO run the same
 * experiment on the same pairs and seeds.
 */
import { createJsBackend, type JsBackendOptions } from '@rlhf/backend-js';
import { noGrad, tidy } from '@rlhf/core';
import { collatePairs, type TokenizedPreferencePair } from '@rlhf/dpo';
import type { CausalLM } from '@rlhf/models';
import {
  STORY_HAS_BIG,
  STORY_HELD_OUT_PROMPTS,
  STORY_TRAIN_PROMPTS,
  type StorySample,
  sampleStoryContinuations,
  storyBigPairs,
  storyBigRate,
} from '@rlhf/models/testing';
import type { PreferenceResult } from '../preference-history.js';
import { responseLogProbs } from '../response-log-probs.js';
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
}

export interface ExperimentReport<THistory> {
  pairs: number;
  heldOutPairs: number;
  /** Share of held-out samples with the property, before and after training (same sampling seeds). */
  rateBefore: number;
  rateAfter: number;
  samplesPerRate: number;
  /** Share of held-out pairs (never trained on) whose chosen has the higher mean token log-prob, before and after. */
  heldOutAccuracyBefore: number;
  heldOutAccuracyAfter: number;
  result: PreferenceResult<THistory>;
  /** Whole experiment, and the training alone. */
  seconds: number;
  trainSeconds: number;
}

type Sample = StorySample;

const sample = sampleStoryContinuations;

const pairsFrom = storyBigPairs;

const rate = storyBigRate;

/** Share of pairs whose chosen response has the higher mean token log-probability under `model`. */
async function pairAccuracy(model: CausalLM, pairs: TokenizedPreferencePair[]): Promise<number> {
  let correct = 0;
  for (let s = 0; s < pairs.length; s += 4) {
    const chunk = pairs.slice(s, s + 4).map((p) => ({
      prompt: [...p.prompt_input_ids],
      chosen: [...p.chosen_input_ids],
      rejected: [...p.rejected_input_ids],
      truncated: false,
      promptTruncated: false,
    }));
    const out = tidy(() =>
      noGrad(() => {
        const lp = responseLogProbs(model, collatePairs(model.backend, chunk, 0), chunk);
        return [lp.chosenMean, lp.rejectedMean];
      }),
    );
    const [c, r] = await Promise.all(out.map((t) => t.data()));
    for (const t of out) t.dispose();
    for (let i = 0; i < chunk.length; i++) if ((c?.[i] as number) > (r?.[i] as number)) correct++;
  }
  return correct / pairs.length;
}

/** What the experiment measures before training, by settings (the untrained model and the seeds fix it). */
const beforeTraining = new Map<
  string,
  {
    pairs: TokenizedPreferencePair[];
    heldOutPairs: TokenizedPreferencePair[];
    before: Sample[][];
    heldOutAccuracyBefore: number;
  }
>();

/** Runs the whole experiment on backend-js with `train` (the trainer under test) on a fresh stories260K. */
export async function runPropertyExperiment<THistory>(
  settings: ExperimentSettings,
  train: (model: CausalLM, pairs: TokenizedPreferencePair[]) => Promise<PreferenceResult<THistory>>,
  backendOptions: JsBackendOptions = {},
): Promise<ExperimentReport<THistory>> {
  const started = performance.now();
  const model = loadStories260K(createJsBackend(backendOptions));
  const key = JSON.stringify(settings);
  // The pairs and the "before" figures depend only on the untrained model and the seeds: made once per settings.
  let start = beforeTraining.get(key);
  if (!start) {
    const trainSamples = await sample(
      model,
      TRAIN_PROMPTS,
      settings.samplesPerPrompt,
      settings.continuationTokens,
      1000,
    );
    const heldOutSamples = await sample(
      model,
      HELD_OUT_PROMPTS,
      settings.samplesPerPrompt,
      settings.continuationTokens,
      5000,
    );
    const heldOutPairs = pairsFrom(heldOutSamples, settings.pairsPerPrompt);
    start = {
      pairs: pairsFrom(trainSamples, settings.pairsPerPrompt),
      heldOutPairs,
      before: await sample(model, HELD_OUT_PROMPTS, settings.evalSamplesPerPrompt, settings.continuationTokens, 9000),
      heldOutAccuracyBefore: await pairAccuracy(model, heldOutPairs),
    };
    beforeTraining.set(key, start);
  }
  const { pairs, heldOutPairs, before, heldOutAccuracyBefore } = start;
  const result = await train(model, pairs);
  const after = await sample(model, HELD_OUT_PROMPTS, settings.evalSamplesPerPrompt, settings.continuationTokens, 9000);
  const heldOutAccuracyAfter = await pairAccuracy(model, heldOutPairs);
  model.dispose();
  return {
    pairs: pairs.length,
    heldOutPairs: heldOutPairs.length,
    rateBefore: rate(before),
    rateAfter: rate(after),
    samplesPerRate: before.flat().length,
    heldOutAccuracyBefore,
    heldOutAccuracyAfter,
    result,
    seconds: (performance.now() - started) / 1000,
    trainSeconds: result.tong_thoi_gian,
  };
}
