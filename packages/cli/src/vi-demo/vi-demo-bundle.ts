import { Random } from '@rlhf/core';
import type { Tokenizer } from '@rlhf/models';
import { POLITE_OPENING } from './polite-rule.js';
import { HELD_OUT_PARAGRAPH, type XquadParagraph } from './vi-corpus.js';

/** How many records of each kind the bundle holds, and the limits a question must fit. */
export interface ViDemoPlan {
  /** SFT records (training paragraphs). */
  sft: number;
  /** Share of SFT completions written politely (the SFT policy's starting rate). */
  sftPoliteShare: number;
  /** Preference pairs (training paragraphs, other questions than SFT's). */
  pairs: number;
  /** Held-out evaluation prompts (held-out paragraphs). */
  evalPrompts: number;
  /** Held-out pairs (`preferences_val.jsonl`), on the first evaluation prompts. */
  valPairs: number;
  /** Longest prompt, in tokens of the model's tokenizer (BOS included). */
  maxPromptTokens: number;
  /** Longest answer, in tokens. */
  maxAnswerTokens: number;
  /** Seed of the selection. */
  seed: number;
}

/** The committed bundle's plan. */
export const VI_DEMO_PLAN: ViDemoPlan = {
  sft: 160,
  sftPoliteShare: 0.1,
  pairs: 160,
  evalPrompts: 64,
  valPairs: 48,
  maxPromptTokens: 40,
  maxAnswerTokens: 16,
  seed: 16,
};

/** A usable XQuAD question: its SQuAD id, prompt and answer. */
export interface ViQuestion {
  id: string;
  prompt: string;
  answer: string;
  heldOut: boolean;
}

/** The demo's files, as records. */
export interface ViDemoBundle {
  sft: { prompt: string; completion: string }[];
  preferences: { prompt: string; chosen: string; rejected: string }[];
  preferencesVal: { prompt: string; chosen: string; rejected: string }[];
  evalPrompts: string[];
  /** SQuAD ids of the records of each file, for the provenance. */
  ids: { sft: string[]; preferences: string[]; preferences_val: string[]; eval_prompts: string[] };
}

/** The prompt template: `Hỏi: <question>\nĐáp:` ("Question: … Answer:"). */
export function viPrompt(question: string): string {
  return `Hỏi: ${question}\nĐáp:`;
}

/** A polite answer: the opening particle, then the answer. */
export function politeAnswer(answer: string): string {
  return `${POLITE_OPENING} ${answer}`;
}

/** Fisher–Yates with the project's seeded generator. */
function shuffled<T>(items: readonly T[], rng: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * The questions that fit the plan's token limits, first occurrence of each prompt, in file order; each
 * marked held out when its paragraph is ({@link HELD_OUT_PARAGRAPH}).
 */
export function usableQuestions(
  paragraphs: readonly XquadParagraph[],
  tokenizer: Tokenizer,
  plan: ViDemoPlan,
): ViQuestion[] {
  const seen = new Set<string>();
  const out: ViQuestion[] = [];
  for (const p of paragraphs) {
    for (const q of p.qas) {
      const prompt = viPrompt(q.question);
      if (seen.has(prompt) || q.answer.length === 0) continue;
      seen.add(prompt);
      if (tokenizer.encode(prompt).length > plan.maxPromptTokens) continue;
      if (tokenizer.encode(politeAnswer(q.answer), { addSpecialTokens: false }).length > plan.maxAnswerTokens) continue;
      out.push({ id: q.id, prompt, answer: q.answer, heldOut: HELD_OUT_PARAGRAPH(p.index) });
    }
  }
  return out;
}

/**
 * Builds the Vietnamese demo's data: SFT records (prompt → `" " + answer`, a `sftPoliteShare` of them
 * polite), preference pairs (chosen = `Dạ, <answer>`, rejected = `<answer>`) on other training questions,
 * and evaluation prompts and held-out pairs from the held-out paragraphs only. Deterministic.
 */
export function buildViDemoBundle(questions: readonly ViQuestion[], plan: ViDemoPlan): ViDemoBundle {
  const rng = new Random(plan.seed);
  const train = shuffled(
    questions.filter((q) => !q.heldOut),
    rng,
  );
  const heldOut = shuffled(
    questions.filter((q) => q.heldOut),
    rng,
  );
  const sftQuestions = train.slice(0, plan.sft);
  const pairQuestions = train.slice(plan.sft, plan.sft + plan.pairs);
  const evalQuestions = heldOut.slice(0, plan.evalPrompts);
  const politeCount = Math.round(plan.sft * plan.sftPoliteShare);
  const polite = new Set(shuffled(sftQuestions, rng).slice(0, politeCount));
  const pair = (q: ViQuestion) => ({ prompt: q.prompt, chosen: politeAnswer(q.answer), rejected: q.answer });
  const valQuestions = evalQuestions.slice(0, plan.valPairs);
  return {
    sft: sftQuestions.map((q) => ({
      prompt: q.prompt,
      completion: ` ${polite.has(q) ? politeAnswer(q.answer) : q.answer}`,
    })),
    preferences: pairQuestions.map(pair),
    preferencesVal: valQuestions.map(pair),
    evalPrompts: evalQuestions.map((q) => q.prompt),
    ids: {
      sft: sftQuestions.map((q) => q.id),
      preferences: pairQuestions.map((q) => q.id),
      preferences_val: valQuestions.map((q) => q.id),
      eval_prompts: evalQuestions.map((q) => q.id),
    },
  };
}
