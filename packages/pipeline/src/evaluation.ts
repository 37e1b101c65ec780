import { type CausalLM, generateText } from '@rlhf/models';
import type { EvalGenerationConfig } from './pipeline-config.js';

/** One evaluated prompt sample: the responses before and after DPO and their rewards. */
export interface EvaluationSample {
  /** The held-out prompt. */
  prompt: string;
  /** The SFT policy's response (before DPO). */
  before: string;
  /** The DPO policy's response (after DPO). */
  after: string;
  /** Raw reward of `prompt + before`. */
  score_before: number;
  /** Raw reward of `prompt + after`. */
  score_after: number;
}

/** The evaluation step's figures (api.md, RLHFPipeline step 5). */
export interface EvaluationResult {
  /** Prompts evaluated. */
  prompts: number;
  /** Responses per prompt and policy. */
  samples_per_prompt: number;
  /** Mean raw reward of the SFT policy's responses. */
  mean_score_before: number;
  /** Mean raw reward of the DPO policy's responses. */
  mean_score_after: number;
  /** Share of paired samples where the DPO response scores higher (ties count half). */
  win_rate: number;
  /** Every sample, in prompt order. */
  samples: EvaluationSample[];
}

/**
 * Generates responses of a policy to each prompt (`samples_per_prompt` each, seeded), returning the
 * generated text only.
 *
 * @example
 * ```ts
 * const responses = await generateResponses(policy, ['Once upon a time,'], { max_new_tokens: 40, temperature: 0.8, top_k: 40, top_p: 1, samples_per_prompt: 2, seed: 1 });
 * ```
 */
export async function generateResponses(
  model: CausalLM,
  prompts: readonly string[],
  g: Required<EvalGenerationConfig>,
): Promise<string[]> {
  const out: string[] = [];
  for (let s = 0; s < g.samples_per_prompt; s++) {
    const continuations = await generateText(model, prompts, {
      maxNewTokens: g.max_new_tokens,
      temperature: g.temperature,
      topK: g.top_k,
      topP: g.top_p,
      seed: g.seed + s,
    });
    continuations.forEach((c, i) => {
      out[i * g.samples_per_prompt + s] = c.text;
    });
  }
  return out;
}

/**
 * Compares responses before and after DPO by their rewards: mean reward of each and the win rate of the
 * DPO policy (paired by prompt and sample index). `score` maps full texts (prompt + response) to raw
 * rewards.
 *
 * @example
 * ```ts
 * const result = await compareResponses(prompts, before, after, 1, (texts) => scorer(texts));
 * ```
 */
export async function compareResponses(
  prompts: readonly string[],
  before: readonly string[],
  after: readonly string[],
  samplesPerPrompt: number,
  score: (texts: string[]) => Promise<number[]>,
): Promise<EvaluationResult> {
  const promptOf = (i: number) => prompts[Math.floor(i / samplesPerPrompt)] as string;
  const scoresBefore = await score(before.map((r, i) => promptOf(i) + r));
  const scoresAfter = await score(after.map((r, i) => promptOf(i) + r));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const wins = scoresAfter.map((a, i) => (a > (scoresBefore[i] as number) ? 1 : a === scoresBefore[i] ? 0.5 : 0));
  return {
    prompts: prompts.length,
    samples_per_prompt: samplesPerPrompt,
    mean_score_before: mean(scoresBefore),
    mean_score_after: mean(scoresAfter),
    win_rate: mean(wins),
    samples: before.map((b, i) => ({
      prompt: promptOf(i),
      before: b,
      after: after[i] as string,
      score_before: scoresBefore[i] as number,
      score_after: scoresAfter[i] as number,
    })),
  };
}
