import { generate } from '../generation/generate.js';
import type { CausalLM } from '../pretrained/causal-lm.js';

/**
 * The learnable property the trainers' acceptance tests share on stories260K: whether a continuation of a
 * short story opening uses the word "big" (about 1 sample in 5 does before training). Training prompts build
 * the preference / feedback / reward data; held-out prompts measure the rate before and after.
 *
 * @example
 * ```ts
 * STORY_HAS_BIG(' It was a big dog.'); // true
 * ```
 */
export const STORY_HAS_BIG = (text: string): boolean => /\bbig\b/i.test(text);

/** Story openings whose continuations make the training data (12). */
export const STORY_TRAIN_PROMPTS: readonly string[] = [
  'Once upon a time, there was a little girl named Lily.',
  'One day, a boy named Tom went to the park.',
  'Sue had a new toy.',
  'Once upon a time, there was a tall tree.',
  'Ben and Mia were best friends.',
  'It was a sunny day.',
  'Anna liked to paint.',
  'Once upon a time, there was a little boy named Max.',
  'The little bird was sad.',
  'Mom made a cake.',
  'Tim wanted to go outside.',
  'There was a small house in the woods.',
];

/** Story openings never trained on, where the rate is measured (5). */
export const STORY_HELD_OUT_PROMPTS: readonly string[] = [
  'Once upon a time, there was a girl named Sara.',
  'One day, Jack found a box.',
  'Lucy went to the beach with her dad.',
  'The sky was blue and the grass was green.',
  'Once upon a time, there was a kind old man.',
];

/** One sampled continuation: the prompt's ids, the continuation's ids (EOS removed) and its text. */
export interface StorySample {
  prompt: number[];
  ids: number[];
  text: string;
}

/**
 * `n` continuations of each prompt, `tokens` tokens at temperature 1, seeded `seed + prompt index` (the
 * same samples before and after training, on any backend). One group of samples per prompt.
 *
 * @example
 * ```ts
 * const groups = await sampleStoryContinuations(model, STORY_HELD_OUT_PROMPTS, 10, 24, 1000);
 * ```
 */
export async function sampleStoryContinuations(
  model: CausalLM,
  prompts: readonly string[],
  n: number,
  tokens: number,
  seed: number,
): Promise<StorySample[][]> {
  const tok = model.tokenizer;
  if (!tok) throw new Error('the model has no tokenizer');
  const out: StorySample[][] = [];
  for (const [p, prompt] of prompts.entries()) {
    const ids = tok.encode(prompt);
    const { sequences } = await generate(
      model,
      Array.from({ length: n }, () => ids),
      { maxNewTokens: tokens, temperature: 1, seed: seed + p, eosTokenId: 2 },
    );
    out.push(
      sequences.map((s) => ({
        prompt: ids,
        ids: s.filter((t) => t !== 2),
        text: tok.decode(s, { skipSpecialTokens: true }),
      })),
    );
  }
  return out;
}

/**
 * Share of all samples whose text uses "big" ({@link STORY_HAS_BIG}).
 *
 * @example
 * ```ts
 * storyBigRate(await sampleStoryContinuations(model, STORY_HELD_OUT_PROMPTS, 10, 24, 1000)); // ≈ 0.2 before training
 * ```
 */
export function storyBigRate(samples: readonly (readonly { text: string }[])[]): number {
  const all = samples.flat();
  return all.filter((s) => STORY_HAS_BIG(s.text)).length / all.length;
}

/**
 * Preference pairs from sampled continuations, token ids in `@rlhf/preference-data`'s tokenized layout:
 * per prompt, up to `perPrompt` pairs of a continuation using "big" (chosen) and one without (rejected), in
 * sampling order; empty continuations are left out.
 *
 * @example
 * ```ts
 * const pairs = storyBigPairs(await sampleStoryContinuations(model, STORY_TRAIN_PROMPTS, 10, 24, 1000), 3);
 * ```
 */
export function storyBigPairs(
  samples: readonly (readonly StorySample[])[],
  perPrompt: number,
): { prompt_input_ids: number[]; chosen_input_ids: number[]; rejected_input_ids: number[] }[] {
  const pairs: { prompt_input_ids: number[]; chosen_input_ids: number[]; rejected_input_ids: number[] }[] = [];
  for (const group of samples) {
    const yes = group.filter((s) => STORY_HAS_BIG(s.text) && s.ids.length > 0);
    const no = group.filter((s) => !STORY_HAS_BIG(s.text) && s.ids.length > 0);
    for (let k = 0; k < Math.min(perPrompt, yes.length, no.length); k++) {
      const chosen = yes[k] as StorySample;
      pairs.push({
        prompt_input_ids: chosen.prompt,
        chosen_input_ids: chosen.ids,
        rejected_input_ids: (no[k] as StorySample).ids,
      });
    }
  }
  return pairs;
}
