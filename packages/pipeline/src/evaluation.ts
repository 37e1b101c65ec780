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
  /** Whether `before` was cut: generation stopped at the token limit, not at EOS. */
  before_cut?: boolean;
  /** Whether `after` was cut: generation stopped at the token limit, not at EOS. */
  after_cut?: boolean;
}

/** A policy's responses (generated text only) and, for each, whether it was cut by the token limit. */
export interface GeneratedResponses {
  /** The responses, `samples_per_prompt` per prompt in prompt order. */
  texts: string[];
  /** `cut[i]`: response i ended at `max_new_tokens` (or the context) without the tokenizer's EOS. */
  cut: boolean[];
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
  return (await generateResponseSet(model, prompts, g)).texts;
}

/**
 * {@link generateResponses}, also telling which responses were cut (stopped by the token limit before EOS).
 *
 * @example
 * ```ts
 * const { texts, cut } = await generateResponseSet(policy, ['Once upon a time,'], generation);
 * ```
 */
export async function generateResponseSet(
  model: CausalLM,
  prompts: readonly string[],
  g: Required<EvalGenerationConfig>,
): Promise<GeneratedResponses> {
  const out: string[] = [];
  const cut: boolean[] = [];
  const eos = model.tokenizer?.eosTokenId;
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
      const last = c.generated_ids[c.generated_ids.length - 1];
      cut[i * g.samples_per_prompt + s] =
        eos === undefined ? c.generated_ids.length >= g.max_new_tokens : last !== undefined && last !== eos;
    });
  }
  return { texts: out, cut };
}

/**
 * Compares responses before and after DPO by their rewards: mean reward of each and the win rate of the
 * DPO policy (paired by prompt and sample index). `score` maps full texts (prompt + response) to raw
 * rewards. `cut` (optional) marks the responses stopped by the token limit, copied to each sample.
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
  cut?: { before: readonly boolean[]; after: readonly boolean[] },
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
      ...(cut ? { before_cut: cut.before[i] === true, after_cut: cut.after[i] === true } : {}),
    })),
  };
}
