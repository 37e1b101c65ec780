/**
 * The learnable-property experiment for KTO (the acceptance of the KTO trainer), DPO's experiment with unpaired
 * labels: stories260K's own sampled continuations of training prompts, each labelled by a plain rule —
 * desirable when it uses the word "big" (about 1 sample in 5 does), undesirable otherwise — balanced per prompt;
 * KTO should raise how often continuations of held-out prompts use the word. Measured on the same seeds before and after.
 */
import { createJsBackend } from '@rlhf/backend-js';
import {
  STORY_HAS_BIG,
  STORY_HELD_OUT_PROMPTS,
  STORY_TRAIN_PROMPTS,
  type StorySample,
  sampleStoryContinuations,
  storyBigRate,
} from '@rlhf/models/testing';
import type { TokenizedKtoExample } from '../data/kto-record.js';
import { type KTOConfig, type KTOResult, KTOTrainer } from '../index.js';
import { loadStories260K } from './data.js';

/** The plain rule: the continuation contains the word "big" (shared with the other trainers' tests). */
export const HAS_PROPERTY = STORY_HAS_BIG;

export const TRAIN_PROMPTS = STORY_TRAIN_PROMPTS;

export const HELD_OUT_PROMPTS = STORY_HELD_OUT_PROMPTS;

export interface ExperimentSettings {
  /** Samples per training prompt. */
  samplesPerPrompt: number;
  /** Most desirable and most undesirable examples kept per training prompt (each). */
  perPromptAndLabel: number;
  /** Tokens per sampled continuation. */
  continuationTokens: number;
  /** Samples per held-out prompt, before and after (total = this × 5). */
  evalSamplesPerPrompt: number;
  trainer: KTOConfig;
}

export interface ExperimentReport {
  desirable: number;
  undesirable: number;
  /** Share of held-out samples with the property, before and after training. */
  rateBefore: number;
  rateAfter: number;
  samplesPerRate: number;
  result: KTOResult;
  examplesAfter: string[];
  seconds: number;
  trainSeconds: number;
}

type Sample = StorySample;

const sample = sampleStoryContinuations;

function examplesFrom(samples: Sample[][], perPromptAndLabel: number): TokenizedKtoExample[] {
  const out: TokenizedKtoExample[] = [];
  for (const group of samples) {
    const usable = group.filter((s) => s.ids.length > 0);
    const yes = usable.filter((s) => HAS_PROPERTY(s.text)).slice(0, perPromptAndLabel);
    const no = usable.filter((s) => !HAS_PROPERTY(s.text)).slice(0, perPromptAndLabel);
    for (const s of yes) out.push({ prompt_input_ids: s.prompt, completion_input_ids: s.ids, label: true });
    for (const s of no) out.push({ prompt_input_ids: s.prompt, completion_input_ids: s.ids, label: false });
  }
  return out;
}

const rate = storyBigRate;

/** Runs the whole experiment on backend-js. */
export async function runPropertyExperiment(settings: ExperimentSettings): Promise<ExperimentReport> {
  const started = performance.now();
  const backend = createJsBackend();
  const model = loadStories260K(backend);
  const reference = loadStories260K(backend);
  const train = await sample(model, TRAIN_PROMPTS, settings.samplesPerPrompt, settings.continuationTokens, 1000);
  const examples = examplesFrom(train, settings.perPromptAndLabel);
  const before = await sample(
    model,
    HELD_OUT_PROMPTS,
    settings.evalSamplesPerPrompt,
    settings.continuationTokens,
    9000,
  );
  const trainer = new KTOTrainer(settings.trainer);
  const result = await trainer.huan_luyen(model, reference, examples);
  const after = await sample(model, HELD_OUT_PROMPTS, settings.evalSamplesPerPrompt, settings.continuationTokens, 9000);
  model.dispose();
  reference.dispose();
  return {
    desirable: examples.filter((e) => e.label).length,
    undesirable: examples.filter((e) => !e.label).length,
    rateBefore: rate(before),
    rateAfter: rate(after),
    samplesPerRate: before.flat().length,
    result,
    examplesAfter: after.map((g) => g[0]?.text ?? ''),
    seconds: (performance.now() - started) / 1000,
    trainSeconds: result.tong_thoi_gian,
  };
}
