import { describe, expect, it } from 'vitest';
import { phi3Tokenizer } from '../__fixtures__/models.js';
import { prepareDataset } from './prepare-dataset.js';

const tokenizer = phi3Tokenizer();
const huge = 'Once upon a time, there was a little dog. '.repeat(250_000); // 10.5 MB

const options = {
  dataset: 'du_lieu_train',
  tokenizer,
  maxSeqLength: 48,
  vocabSize: 32064,
  completionOnlyLoss: true,
  assistantOnlyLoss: false,
  packing: false,
};

describe('a huge conversation is cut before it is rendered and tokenised (cost bounded by max_seq_length)', () => {
  it('messages: a 10 MB user turn gives the same max_seq_length tokens as its first 20 KB, in bounded time', async () => {
    const t0 = performance.now();
    const cut = await prepareDataset(
      [
        {
          messages: [
            { role: 'user', content: huge },
            { role: 'assistant', content: 'Yes.' },
          ],
        },
      ],
      options,
    );
    const ms = performance.now() - t0;
    const small = await prepareDataset(
      [
        {
          messages: [
            { role: 'user', content: huge.slice(0, 20_000) },
            { role: 'assistant', content: 'Yes.' },
          ],
        },
      ],
      options,
    );
    expect(ms).toBeLessThan(5_000);
    expect(cut.truncated).toBe(1);
    expect(cut.examples[0]?.input_ids).toHaveLength(48);
    expect(cut.examples[0]?.input_ids).toEqual(small.examples[0]?.input_ids);
  });

  it('conversational prompt-completion: a 10 MB completion gives the same tokens as its first 20 KB', async () => {
    const record = (content: string) => ({
      prompt: [{ role: 'user', content: 'Tell me a story.' }],
      completion: [{ role: 'assistant', content }],
    });
    const cut = await prepareDataset([record(huge)], options);
    const small = await prepareDataset([record(huge.slice(0, 20_000))], options);
    expect(cut.examples[0]?.input_ids).toHaveLength(48);
    expect(cut.examples[0]?.input_ids).toEqual(small.examples[0]?.input_ids);
    expect(cut.examples[0]?.targets).toEqual(small.examples[0]?.targets);
    expect(cut.examples[0]?.targets.filter((t) => t !== -100).length).toBeGreaterThan(0);
  });
});
