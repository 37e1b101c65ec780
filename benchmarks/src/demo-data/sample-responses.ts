import { type CausalLM, generateText } from '@rlhf/models';
import type { DemoGeneration } from './demo-config.js';

/** One generated response to an evaluation prompt. */
export interface SampledResponse {
  prompt: string;
  /** The generated text after the prompt (its leading space kept). */
  response: string;
  /** Prompt + response, the text the reward model scores. */
  text: string;
}

/**
 * Generates `samples_per_prompt` responses to every prompt the way `RLHFPipeline`'s evaluation does: all
 * prompts in one batch per sample index `s`, seeded `seed + s`, stopping at the tokenizer's EOS; responses
 * in prompt order (prompt i's sample s at `i · samples_per_prompt + s`). Two policies sampled with the same
 * settings are compared on the same random draws.
 *
 * @example
 * ```ts
 * const before = await sampleResponses(sftPolicy, prompts, demoPipelineConfig('en').generation);
 * ```
 */
export async function sampleResponses(
  model: CausalLM,
  prompts: readonly string[],
  generation: DemoGeneration,
): Promise<SampledResponse[]> {
  const n = generation.samples_per_prompt;
  const out: SampledResponse[] = [];
  for (let s = 0; s < n; s++) {
    const continuations = await generateText(model, prompts, {
      maxNewTokens: generation.max_new_tokens,
      temperature: generation.temperature,
      topK: generation.top_k,
      seed: generation.seed + s,
    });
    continuations.forEach((c, i) => {
      const prompt = prompts[i] as string;
      out[i * n + s] = { prompt, response: c.text, text: prompt + c.text };
    });
  }
  return out;
}
