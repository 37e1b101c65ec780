import type { CausalLM, Tokenizer } from '@rlhf/models';
import type { DemoBundle, PreferenceRecord, SFTRecord } from './demo-records.js';
import { type Continuation, type SamplingPlan, sampleContinuations } from './sample-continuations.js';
import { storyMood } from './story-mood.js';
import { evalOpenings, trainOpenings } from './story-openings.js';

/** How the English bundle is sampled and cut into records. */
export interface EnglishPlan {
  /** Sampling of the training openings (SFT and preference pairs). */
  train: SamplingPlan;
  /** Sampling of the held-out openings (held-out pairs for the reward model only). */
  heldOut: SamplingPlan;
  /** At most this many SFT records per opening. */
  sftPerOpening: number;
  /** At most this many (happy, sad) pairs per opening. */
  pairsPerOpening: number;
}

/** The plan the committed bundle was made with. */
export const ENGLISH_PLAN: EnglishPlan = {
  train: { samples: 64, maxNewTokens: 48, temperature: 1, topK: 40, seed: 1000 },
  heldOut: { samples: 32, maxNewTokens: 48, temperature: 1, topK: 40, seed: 5000 },
  sftPerOpening: 4,
  pairsPerOpening: 4,
};

/** (happy, sad) pairs of one opening's usable continuations, each continuation used once, no duplicates. */
function pairsOf(prompt: string, samples: readonly Continuation[], limit: number): PreferenceRecord[] {
  const unique = [...new Map(samples.filter((s) => s.usable).map((s) => [s.text, s])).values()];
  const happy = unique.filter((s) => storyMood(s.text) === 'happy');
  const sad = unique.filter((s) => storyMood(s.text) === 'sad');
  const n = Math.min(limit, happy.length, sad.length);
  return Array.from({ length: n }, (_, k) => ({
    prompt,
    chosen: (happy[k] as Continuation).text.trimStart(),
    rejected: (sad[k] as Continuation).text.trimStart(),
  }));
}

/**
 * Builds the English bundle from stories260K's own samples: continuations of TinyStories-style openings
 * ({@link trainOpenings}), cleaned to whole sentences. SFT records are the first usable continuations of
 * each opening whatever their mood (the model's natural mix; they teach it to finish a sentence and stop).
 * Preference pairs put a `happy` continuation (by {@link storyMood}) over a `sad` one of the same opening.
 * Held-out pairs come the same way from the evaluation openings ({@link evalOpenings}), which are also the
 * evaluation prompts.
 *
 * @example
 * ```ts
 * const bundle = await buildEnglishBundle(loadStories260K(createJsBackend()), ENGLISH_PLAN, console.log);
 * ```
 */
export async function buildEnglishBundle(
  model: CausalLM,
  tokenizer: Tokenizer,
  plan: EnglishPlan,
  log: (line: string) => void = () => {},
): Promise<DemoBundle> {
  const train = trainOpenings();
  const held = evalOpenings();
  const report = (what: string) => (done: number, total: number) => {
    if (done % 8 === 0 || done === total) log(`en: sampled ${what} ${done}/${total}`);
  };
  const trainSamples = await sampleContinuations(model, tokenizer, train, plan.train, report('training openings'));
  const heldSamples = await sampleContinuations(model, tokenizer, held, plan.heldOut, report('held-out openings'));
  const sft: SFTRecord[] = train.flatMap((prompt, i) => {
    const seen = new Set<string>();
    return (trainSamples[i] as Continuation[])
      .filter((s) => s.usable && !seen.has(s.text) && seen.add(s.text))
      .slice(0, plan.sftPerOpening)
      .map((s) => ({ prompt, completion: s.text }));
  });
  const preferences = train.flatMap((prompt, i) =>
    pairsOf(prompt, trainSamples[i] as Continuation[], plan.pairsPerOpening),
  );
  const preferencesVal = held.flatMap((prompt, i) => pairsOf(prompt, heldSamples[i] as Continuation[], 2));
  return { sft, preferences, preferencesVal, evalPrompts: held };
}
