import { describe, expect, it } from 'vitest';
import { phi3Tokenizer, stories260K } from '../__fixtures__/models.js';
import { prepareDataset } from './prepare-dataset.js';
import { recordKind } from './sft-record.js';
import { tokenizeRecord } from './tokenize-record.js';

const phi3 = phi3Tokenizer();
const stories = stories260K().tokenizer!;

function lossTokens(
  tok: typeof phi3,
  record: Record<string, unknown>,
  options: { completionOnlyLoss?: boolean; assistantOnlyLoss?: boolean } = {},
) {
  const { input_ids, labels } = tokenizeRecord(record, recordKind(record, 'du_lieu_train', 0), {
    tokenizer: tok,
    completionOnlyLoss: options.completionOnlyLoss ?? true,
    assistantOnlyLoss: options.assistantOnlyLoss ?? true,
    dataset: 'du_lieu_train',
    index: 0,
  });
  expect(labels).toHaveLength(input_ids.length);
  for (const [i, l] of labels.entries()) expect(l === -100 || l === input_ids[i]).toBe(true);
  return {
    all: input_ids.map((id) => tok.idToToken(id)),
    loss: input_ids.flatMap((id, i) => (labels[i] === -100 ? [] : [tok.idToToken(id)])),
  };
}

describe('which tokens carry loss', () => {
  it('prompt-completion (phi-3): exactly the completion tokens and the appended EOS', () => {
    const { all, loss } = lossTokens(phi3, { prompt: 'Question: What is 2+2?\nAnswer:', completion: ' 4' });
    expect(all).toEqual([
      '▁Question',
      ':',
      '▁What',
      '▁is',
      '▁',
      '2',
      '+',
      '2',
      '?',
      '<0x0A>',
      'Answer',
      ':',
      '▁',
      '4',
      '<|endoftext|>',
    ]);
    expect(loss).toEqual(['▁', '4', '<|endoftext|>']);
  });

  it('prompt-completion (stories260K): completion tokens only; every token with completion_only_loss false', () => {
    const record = { prompt: 'Q: What is 2+2?\nA:', completion: ' 4' };
    expect(lossTokens(stories, record).loss).toEqual(['▁', '4', '</s>']);
    const whole = lossTokens(stories, record, { completionOnlyLoss: false });
    expect(whole.loss).toEqual(whole.all);
    expect(whole.all[0]).toBe('<s>');
  });

  it('two-turn conversation with the phi-3 chat template: exactly the assistant turns (and their <|end|>, the final EOS)', () => {
    const record = {
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is 2+2?' },
        { role: 'assistant', content: 'It is 4.' },
        { role: 'user', content: 'And 3+3?' },
        { role: 'assistant', content: 'Six.' },
      ],
    };
    const { all, loss } = lossTokens(phi3, record);
    // The template renders '<|system|>\nBe brief.<|end|>\n<|user|>\n...<|assistant|>\nSix.<|end|>\n<|endoftext|>'
    // (the tokenizer's rstrip on special tokens swallows the newlines).
    expect(all).toEqual([
      '<|system|>',
      '▁Be',
      '▁brief',
      '.',
      '<|end|>',
      '<|user|>',
      '▁What',
      '▁is',
      '▁',
      '2',
      '+',
      '2',
      '?',
      '<|end|>',
      '<|assistant|>',
      '▁It',
      '▁is',
      '▁',
      '4',
      '.',
      '<|end|>',
      '<|user|>',
      '▁And',
      '▁',
      '3',
      '+',
      '3',
      '?',
      '<|end|>',
      '<|assistant|>',
      '▁Six',
      '.',
      '<|end|>',
      '<|endoftext|>',
    ]);
    expect(loss).toEqual(['▁It', '▁is', '▁', '4', '.', '<|end|>', '▁Six', '.', '<|end|>', '<|endoftext|>']);
    expect(lossTokens(phi3, record, { assistantOnlyLoss: false }).loss).toEqual(all);
  });

  it('conversational prompt-completion: the completion turns only', () => {
    const { loss } = lossTokens(phi3, {
      prompt: [{ role: 'user', content: 'Hi' }],
      completion: [{ role: 'assistant', content: 'Hello!' }],
    });
    expect(loss).toEqual(['▁Hello', '!', '<|end|>', '<|endoftext|>']);
  });

  it('plain text: every token (BOS .. EOS); pre-tokenised labels are kept, −100 included', () => {
    const text = lossTokens(stories, { text: 'Once upon a time' });
    expect(text.loss).toEqual(text.all);
    expect(text.all[0]).toBe('<s>');
    expect(text.all.at(-1)).toBe('</s>');
    const pre = tokenizeRecord({ input_ids: [1, 5, 6, 7], labels: [-100, -100, 6, 7] }, 'tokenized', {
      tokenizer: null,
      completionOnlyLoss: true,
      assistantOnlyLoss: true,
      dataset: 'd',
      index: 0,
    });
    expect(pre.labels).toEqual([-100, -100, 6, 7]);
  });

  it('prepareDataset shifts labels into next-token targets and truncates at max_seq_length (counted)', async () => {
    const prepared = await prepareDataset(
      [{ input_ids: [1, 5, 6, 7], labels: [-100, -100, 6, 7] }, { input_ids: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }],
      {
        dataset: 'du_lieu_train',
        tokenizer: null,
        maxSeqLength: 6,
        vocabSize: 64,
        completionOnlyLoss: true,
        assistantOnlyLoss: true,
        packing: false,
      },
    );
    expect(prepared.examples[0]).toEqual({
      input_ids: [1, 5, 6, 7],
      targets: [-100, 6, 7, -100],
      positions: null,
      segments: null,
    });
    expect(prepared.examples[1]?.input_ids).toEqual([1, 2, 3, 4, 5, 6]);
    expect(prepared.examples[1]?.targets).toEqual([2, 3, 4, 5, 6, -100]);
    expect(prepared.truncated).toBe(1);
  });
});
