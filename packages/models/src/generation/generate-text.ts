import { InvalidArgumentError } from '@rlhf/core';
import type { CausalLM } from '../pretrained/causal-lm.js';
import type { Tokenizer } from '../tokenizer/tokenizer.js';
import { generate } from './generate.js';
import { type GenerateOptionsInput, generateOptionsOf } from './generate-option-names.js';

/** One continued prompt: its ids, the generated ids and the generated text only. */
export interface TextContinuation {
  /** The prompt's token ids (BOS included). */
  prompt_ids: number[];
  /** The generated token ids (EOS included when emitted). */
  generated_ids: number[];
  /** The generated text only (the prompt is not repeated). */
  text: string;
}

/**
 * Continues text prompts with the model's tokenizer (BOS + prompt, as the tokenizer adds special tokens),
 * stopping at its EOS; `text` is the generated part only (decoded with the prompt so that spacing at the
 * join is right, then the prompt's own decoding cut off).
 *
 * @example
 * ```ts
 * const [c] = await generateText(model, ['Once upon a time'], { maxNewTokens: 40, temperature: 0 });
 * console.log(c.text);
 * ```
 */
export async function generateText(
  model: CausalLM,
  prompts: readonly string[],
  given: GenerateOptionsInput = {},
  tokenizer: Tokenizer | null = model.tokenizer,
): Promise<TextContinuation[]> {
  if (!tokenizer)
    throw new InvalidArgumentError('generateText', 'tokenizer', null, 'is needed: the model carries none');
  const options = generateOptionsOf(given, 'generateText');
  const promptIds = prompts.map((p) => tokenizer.encode(p, { addSpecialTokens: true }));
  const eos = tokenizer.eosTokenId;
  const pad = tokenizer.padTokenId;
  const { sequences } = await generate(model, promptIds, {
    ...(eos === undefined ? {} : { eosTokenId: eos }),
    ...(pad === undefined ? {} : { padTokenId: pad }),
    ...options,
  });
  return promptIds.map((ids, i) => {
    const generated = sequences[i] as number[];
    const head = tokenizer.decode(ids, { skipSpecialTokens: true });
    const whole = tokenizer.decode([...ids, ...generated], { skipSpecialTokens: true });
    return {
      prompt_ids: ids,
      generated_ids: generated,
      text: whole.startsWith(head) ? whole.slice(head.length) : whole,
    };
  });
}
