import { createJsBackend } from '@rlhf/backend-js';
import { describe, expect, it } from 'vitest';
import { phi3Tokenizer, stories260KTokenizer } from '../__fixtures__/data.js';
import { PreferenceDataError } from '../errors/preference-data-error.js';
import { collatePairs, IGNORE_INDEX } from './collate-pairs.js';
import { toPreferencePair } from './preference-record.js';
import { tokenizePreferencePair } from './tokenize-pair.js';
import { truncatePair } from './truncate-pair.js';

const stories = stories260KTokenizer();

describe('truncatePair (TRL: prompt kept whole where it fits, responses cut)', () => {
  it('leaves a pair that fits untouched', () => {
    expect(truncatePair([1, 2], [3, 4], [5], { maxLength: 4, maxPromptLength: 2 })).toEqual({
      prompt: [1, 2],
      chosen: [3, 4],
      rejected: [5],
      truncated: false,
      promptTruncated: false,
    });
  });

  it('cuts only the responses when the prompt is within maxPromptLength', () => {
    expect(truncatePair([1, 5, 6], [7, 8, 9, 10], [11], { maxLength: 5, maxPromptLength: 3 })).toEqual({
      prompt: [1, 5, 6],
      chosen: [7, 8],
      rejected: [11],
      truncated: true,
      promptTruncated: false,
    });
  });

  it('cuts a long prompt from the front to maxPromptLength, keeping BOS, then the responses', () => {
    expect(
      truncatePair([1, 20, 21, 22, 23, 24], [7, 8, 9, 10], [11, 12], { maxLength: 6, maxPromptLength: 3 }),
    ).toEqual({
      prompt: [1, 23, 24],
      chosen: [7, 8, 9],
      rejected: [11, 12],
      truncated: true,
      promptTruncated: true,
    });
    // a long prompt is not cut when the pair fits
    expect(truncatePair([1, 20, 21, 22], [7], [8], { maxLength: 6, maxPromptLength: 2 }).truncated).toBe(false);
  });
});

describe('tokenizePreferencePair', () => {
  it('text: BOS + prompt, each response + EOS (stories260K ids)', () => {
    const t = tokenizePreferencePair(
      toPreferencePair({ prompt: 'Once upon a time', chosen: ' Lily went', rejected: 'Lily went' }, 0),
      stories,
      { maxSeqLength: 512 },
      0,
    );
    expect(t.prompt).toEqual([1, 403, 407, 261, 378]);
    expect(t.chosen).toEqual([410, 317, 263, 377, 2]);
    expect(t.rejected).toEqual([317, 263, 377, 2]);
    expect(t.truncated).toBe(false);
  });

  it('text truncated at max_seq_length: the prompt kept, the responses cut, counted', () => {
    const pair = toPreferencePair({ prompt: 'Once upon a time', chosen: ' Lily went', rejected: 'Lily went' }, 0);
    const t = tokenizePreferencePair(pair, stories, { maxSeqLength: 7, maxPromptLength: 5 }, 0);
    expect(t).toEqual({
      prompt: [1, 403, 407, 261, 378],
      chosen: [410, 317],
      rejected: [317, 263],
      truncated: true,
      promptTruncated: false,
    });
    // by default a prompt over half of max_seq_length is cut from the front (BOS kept) when the pair is too long
    const cut = tokenizePreferencePair(pair, stories, { maxSeqLength: 7 }, 0);
    expect(cut).toEqual({
      prompt: [1, 261, 378],
      chosen: [410, 317, 263, 377],
      rejected: [317, 263, 377, 2],
      truncated: true,
      promptTruncated: true,
    });
  });

  it('messages: the chat template renders the prompt with the generation prompt; responses are what it adds (phi-3)', () => {
    const phi3 = phi3Tokenizer();
    const pair = toPreferencePair(
      {
        prompt: [{ role: 'user', content: 'Hi' }],
        chosen: [{ role: 'assistant', content: 'Hello there' }],
        rejected: [{ role: 'assistant', content: 'Go away' }],
      },
      0,
    );
    const t = tokenizePreferencePair(pair, phi3, { maxSeqLength: 512 }, 0);
    const encode = (text: string) => phi3.encode(text, { addSpecialTokens: false });
    expect(t.prompt).toEqual(encode('<|user|>\nHi<|end|>\n<|assistant|>\n'));
    expect(t.chosen).toEqual(encode('Hello there<|end|>\n<|endoftext|>'));
    expect(t.rejected).toEqual(encode('Go away<|end|>\n<|endoftext|>'));
    expect(t.chosen[t.chosen.length - 1]).toBe(phi3.eosTokenId); // <|endoftext|>
    expect(t.chosen).toContain(phi3.tokenToId('<|end|>'));
    expect(t.prompt).toContain(phi3.tokenToId('<|assistant|>'));
    // a plain-string prompt counts as one user turn
    const mixed = tokenizePreferencePair(
      toPreferencePair(
        { prompt: 'Hi', chosen: [{ role: 'assistant', content: 'Hello there' }], rejected: 'Go away' },
        0,
      ),
      phi3,
      { maxSeqLength: 512 },
      0,
    );
    expect(mixed).toEqual(t);
  });

  it('messages with a tokenizer without a chat template: a clear error, unless chat_template is given', () => {
    const pair = toPreferencePair({ prompt: [{ role: 'user', content: 'Hi' }], chosen: 'Yes', rejected: 'No' }, 4);
    expect(() => tokenizePreferencePair(pair, stories, { maxSeqLength: 64 }, 4)).toThrow(
      /^preference_data\[4\] is conversational \(message lists\), but the tokenizer has no chat template \(set the chat_template option\)/,
    );
    const template =
      '{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}';
    const t = tokenizePreferencePair(pair, stories, { maxSeqLength: 64, chatTemplate: template }, 4);
    expect(stories.decode(t.prompt)).toBe('user: Hi\nassistant:');
    expect(stories.decode(t.chosen)).toBe(' Yes\n');
  });

  it('text without a tokenizer, ids outside the vocabulary, an empty prompt: clear errors', () => {
    const text = toPreferencePair({ prompt: 'p', chosen: 'c', rejected: 'r' }, 2);
    expect(() => tokenizePreferencePair(text, null, { maxSeqLength: 8 }, 2)).toThrow(
      /^preference_data\[2\] is text, but no tokenizer was given/,
    );
    const ids = toPreferencePair({ prompt_input_ids: [1], chosen_input_ids: [600], rejected_input_ids: [3] }, 8);
    let error: unknown;
    try {
      tokenizePreferencePair(ids, null, { maxSeqLength: 8, vocabSize: 512 }, 8);
    } catch (e) {
      error = e;
    }
    expect(PreferenceDataError.isInstance(error) && error.kind).toBe('PREFERENCE_TOKENIZER_MISMATCH');
    expect((error as Error).message).toBe(
      "preference_data[8] has token id 600, outside the model's vocabulary (size 512).",
    );
    const noPrompt = toPreferencePair({ prompt_input_ids: [], chosen_input_ids: [4], rejected_input_ids: [3] }, 1);
    expect(() => tokenizePreferencePair(noPrompt, null, { maxSeqLength: 8 }, 1)).toThrow(
      /^preference_data\[1\]\.prompt has no tokens/,
    );
  });
});

describe('collatePairs: one concatenated (2B, T) batch', () => {
  it('chosen rows first, right padding, labels on response tokens only', async () => {
    const backend = createJsBackend();
    const batch = collatePairs(
      backend,
      [
        { prompt: [1, 5], chosen: [7, 2], rejected: [8, 9, 2], truncated: false, promptTruncated: false },
        { prompt: [1], chosen: [6], rejected: [4, 2], truncated: false, promptTruncated: false },
      ],
      0,
    );
    expect(batch.inputIds.shape).toEqual([4, 5]);
    expect(Array.from(await batch.inputIds.data())).toEqual([
      1, 5, 7, 2, 0, 1, 6, 0, 0, 0, 1, 5, 8, 9, 2, 1, 4, 2, 0, 0,
    ]);
    const I = IGNORE_INDEX;
    expect(Array.from(await batch.labels.data())).toEqual([I, 7, 2, I, I, 6, I, I, I, I, I, 8, 9, 2, I, 4, 2, I, I, I]);
    expect(batch.pairs).toBe(2);
    expect(batch.tokens).toBe(4 + 2 + 5 + 3);
    expect(batch.responseTokens).toBe(2 + 1 + 3 + 2);
    batch.inputIds.dispose();
    batch.labels.dispose();
  });
});
