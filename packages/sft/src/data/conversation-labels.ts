import { TrainingDataError } from '@rlhf/core';
import type { ChatMessage, Tokenizer } from '@rlhf/models';
import { commonPrefixLength, IGNORE_INDEX } from './sft-example.js';

/** Token ids of a conversation and Hugging Face-style labels (−100 outside the target turns). */
export interface LabelledIds {
  /** Token ids of the rendered conversation. */
  input_ids: number[];
  /** Same length: the token id where it is a target, −100 elsewhere. */
  labels: number[];
}

/**
 * Renders a conversation with the tokenizer's chat template and labels the tokens of the target turns
 * (by default the assistant's). The template is a black box, so each target turn's tokens are found by
 * rendering prefixes of the conversation and comparing token ids with the whole rendering:
 *
 * - start of turn i = common prefix of `render(messages[0..i), add_generation_prompt)` and the whole —
 *   so the assistant header the template writes (`<|assistant|>\n`) stays on the prompt side;
 * - end of turn i = common prefix of `render(messages[0..i])` and the whole — so the turn's closing
 *   tokens (`<|end|>`, and the final EOS after the last turn) are targets, while anything a template
 *   appends only to a finished conversation and not mid-conversation is not.
 *
 * Taking the common prefix (not the prefix's length) keeps this right when a boundary token merges with
 * its neighbour. Throws a `TrainingDataError` when there is no target turn or a turn ends up with no token.
 *
 * @example
 * ```ts
 * const { input_ids, labels } = conversationLabels(phi3, [
 *   { role: 'user', content: 'Hi' },
 *   { role: 'assistant', content: 'Hello!' },
 * ], (m) => m.role === 'assistant', 'du_lieu_train', 0);
 * ```
 */
export function conversationLabels(
  tokenizer: Tokenizer,
  messages: readonly ChatMessage[],
  isTarget: (message: ChatMessage, index: number) => boolean,
  dataset: string,
  index: number,
  key = 'messages',
): LabelledIds {
  const render = (upTo: number, addGenerationPrompt: boolean): number[] =>
    tokenizer.applyChatTemplate(messages.slice(0, upTo), { addGenerationPrompt });
  let full: number[];
  try {
    full = render(messages.length, false);
  } catch (error) {
    throw new TrainingDataError(
      dataset,
      index,
      key,
      `cannot be rendered with the chat template: ${(error as Error).message}`,
    );
  }
  const labels = full.map(() => IGNORE_INDEX);
  let targets = 0;
  messages.forEach((message, i) => {
    if (!isTarget(message, i)) return;
    targets++;
    let before: number[] = [];
    if (i > 0 || message.role === 'assistant') {
      try {
        before = render(i, message.role === 'assistant');
      } catch {
        before = i > 0 ? render(i, false) : []; // a template that refuses a header alone
      }
    }
    const start = commonPrefixLength(before, full);
    const end = commonPrefixLength(render(i + 1, false), full);
    if (end <= start) throw new TrainingDataError(dataset, index, `${key}[${i}]`, 'renders to no token of its own');
    for (let t = start; t < end; t++) labels[t] = full[t] as number;
  });
  if (targets === 0) {
    throw new TrainingDataError(
      dataset,
      index,
      key,
      'has no assistant turn (nothing to learn; set assistant_only_loss: false to train on every token)',
    );
  }
  return { input_ids: full, labels };
}
