import { Random } from '@rlhf/core';
import type { Tokenizer } from '@rlhf/models';
import type { DemoBundle, PreferenceRecord } from './demo-records.js';
import { isRefusal, REFUSALS } from './refusal-rule.js';
import type { XquadQuestion } from './xquad-questions.js';

/** How the Vietnamese bundle is cut from XQuAD. */
export interface VietnamesePlan {
  /** Longest prompt (`Hỏi: … \nĐáp:`) in stories260K tokens (Vietnamese falls back to bytes: ~1.2 tokens a character). */
  maxPromptTokens: number;
  /** Longest answer in tokens. */
  maxAnswerTokens: number;
  /** Whole articles are held out for evaluation until at least this many questions are. */
  evalQuestions: number;
  /** Share of SFT records (rounded to a whole count) whose completion is a refusal instead of the answer (the careless annotator). */
  sftRefusalShare: number;
  /** At most this many training preference pairs. */
  maxPairs: number;
  /** Seed of the article split, the refusal choices and the orders. */
  seed: number;
}

/** The plan the committed bundle was made with. */
export const VIETNAMESE_PLAN: VietnamesePlan = {
  maxPromptTokens: 64,
  maxAnswerTokens: 24,
  evalQuestions: 48,
  sftRefusalShare: 0.4,
  maxPairs: 256,
  seed: 2024,
};

/**
 * The prompt of a question: `Hỏi: <question>\nĐáp:` ("Question: … Answer:").
 *
 * @example
 * ```ts
 * vietnamesePrompt('Ai hát quốc ca?'); // 'Hỏi: Ai hát quốc ca?\nĐáp:'
 * ```
 */
export function vietnamesePrompt(question: string): string {
  return `Hỏi: ${question}\nĐáp:`;
}

/** Questions whose prompt and answer fit the plan, one per question text, and whose answer is no refusal. */
export function usableQuestions(
  questions: readonly XquadQuestion[],
  tokenizer: Tokenizer,
  plan: VietnamesePlan,
): XquadQuestion[] {
  const seen = new Set<string>();
  return questions.filter((q) => {
    if (q.answer === '' || isRefusal(q.answer) || seen.has(q.question)) return false;
    seen.add(q.question);
    return (
      tokenizer.encode(vietnamesePrompt(q.question)).length <= plan.maxPromptTokens &&
      tokenizer.encode(q.answer, { addSpecialTokens: false }).length <= plan.maxAnswerTokens
    );
  });
}

/**
 * Builds the Vietnamese bundle from XQuAD's Vietnamese questions (short ones; stories260K has never seen
 * Vietnamese). Whole articles are held out for evaluation. SFT teaches the format `Hỏi: …\nĐáp: <answer>`,
 * with a share of completions replaced by a refusal ("Tôi không biết.") as a careless annotator would write;
 * the preference pairs put the real answer over a refusal, so DPO should make the policy answer more often
 * (and the reward model learns to score refusals low). The held-out pairs are built the same way from the
 * evaluation questions.
 *
 * @example
 * ```ts
 * const bundle = buildVietnameseBundle(readXquadQuestions(path), tokenizer, VIETNAMESE_PLAN);
 * ```
 */
export function buildVietnameseBundle(
  questions: readonly XquadQuestion[],
  tokenizer: Tokenizer,
  plan: VietnamesePlan,
): DemoBundle {
  const rng = new Random(plan.seed);
  const pickRefusal = (): string => REFUSALS[rng.int(REFUSALS.length)] as string;
  const usable = usableQuestions(questions, tokenizer, plan);
  const titles = rng.shuffle([...new Set(usable.map((q) => q.title))]);
  const held = new Set<string>();
  for (const title of titles) {
    if (usable.filter((q) => held.has(q.title)).length >= plan.evalQuestions) break;
    held.add(title);
  }
  const evalQs = usable.filter((q) => held.has(q.title));
  const trainQs = usable.filter((q) => !held.has(q.title));
  const refusing = Math.round(plan.sftRefusalShare * trainQs.length);
  const sft = rng.shuffle([...trainQs]).map((q, i) => ({
    prompt: vietnamesePrompt(q.question),
    completion: ` ${i < refusing ? pickRefusal() : q.answer}`,
  }));
  rng.shuffle(sft);
  const pair = (q: XquadQuestion): PreferenceRecord => ({
    prompt: vietnamesePrompt(q.question),
    chosen: q.answer,
    rejected: pickRefusal(),
  });
  const preferences = rng
    .shuffle([...trainQs])
    .slice(0, plan.maxPairs)
    .map(pair);
  const preferencesVal = evalQs.map(pair);
  return { sft, preferences, preferencesVal, evalPrompts: evalQs.map((q) => vietnamesePrompt(q.question)) };
}
