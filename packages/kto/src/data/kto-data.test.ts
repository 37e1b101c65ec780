import { createJsBackend } from '@rlhf/backend-js';
import { IGNORE_INDEX } from '@rlhf/dpo';
import { describe, expect, it } from 'vitest';
import { stories260KTokenizer } from '../__fixtures__/data.js';
import { collateSequences, klPairs } from './collate-sequences.js';
import { toKtoExample } from './kto-record.js';
import { prepareKtoData } from './prepare-kto-data.js';
import { isPreferencePair, unpairPreferenceData } from './unpair-preference-data.js';

const stories = stories260KTokenizer();

describe('KTO records', () => {
  it("TRL's unpaired layout: text, conversational message lists, pre-tokenised ids", () => {
    expect(toKtoExample({ prompt: 'Hi', completion: ' Hello!', label: true }, 0)).toEqual({
      kind: 'text',
      prompt: 'Hi',
      completion: ' Hello!',
      label: true,
    });
    const chat = {
      prompt: [{ role: 'user', content: 'Hi' }],
      completion: [{ role: 'assistant', content: 'Go away.' }],
      label: false,
    };
    expect(toKtoExample(chat, 1)).toEqual({ kind: 'text', ...chat });
    expect(toKtoExample({ prompt_input_ids: [1, 5], completion_input_ids: [7, 2], label: false }, 2)).toEqual({
      kind: 'ids',
      prompt_input_ids: [1, 5],
      completion_input_ids: [7, 2],
      label: false,
    });
  });
});

describe('unpairPreferenceData (TRL unpair_preference_dataset)', () => {
  it('each pair → one desirable and one undesirable example with the same prompt; pair i → records 2i, 2i + 1', () => {
    const pairs = [
      { prompt: 'Tom had a ball.', chosen: ' He smiled.', rejected: ' He cried.' },
      { prompt_input_ids: [1, 9], chosen_input_ids: [7, 2], rejected_input_ids: [8, 2] },
      { chosen: '\n\nHuman: Hi\n\nAssistant: Hello', rejected: '\n\nHuman: Hi\n\nAssistant: No' }, // HH-RLHF
    ];
    expect(unpairPreferenceData(pairs)).toEqual([
      { prompt: 'Tom had a ball.', completion: ' He smiled.', label: true },
      { prompt: 'Tom had a ball.', completion: ' He cried.', label: false },
      { prompt_input_ids: [1, 9], completion_input_ids: [7, 2], label: true },
      { prompt_input_ids: [1, 9], completion_input_ids: [8, 2], label: false },
      { prompt: '\n\nHuman: Hi\n\nAssistant:', completion: ' Hello', label: true },
      { prompt: '\n\nHuman: Hi\n\nAssistant:', completion: ' No', label: false },
    ]);
    expect(unpairPreferenceData([])).toEqual([]);
  });

  it('tells pairs from KTO records', () => {
    expect(isPreferencePair({ prompt: 'p', chosen: 'a', rejected: 'b' })).toBe(true);
    expect(isPreferencePair({ prompt_input_ids: [1], chosen_input_ids: [2], rejected_input_ids: [3] })).toBe(true);
    expect(isPreferencePair({ prompt: 'p', completion: 'a', label: true })).toBe(false);
    expect(isPreferencePair({ prompt: 'p', chosen: 'a', rejected: 'b', label: true })).toBe(false);
    expect(isPreferencePair(null)).toBe(false);
    expect(isPreferencePair(['p'])).toBe(false);
  });
});

describe('prepareKtoData', () => {
  it('tokenises as DPO does (prompt with BOS, completion + EOS), counts classes and truncation', async () => {
    const data = [
      { prompt: 'Tom had a ball.', completion: ' He smiled.', label: true },
      { prompt: 'Tom had a ball.', completion: ' He cried a lot and a lot and a lot.', label: false },
      { prompt: 'Sue ran.', completion: ' Fast.', label: false },
    ];
    const p = await prepareKtoData(data, stories, { maxSeqLength: 16, vocabSize: 512 });
    expect([p.desirable, p.undesirable]).toEqual([1, 2]);
    const first = p.examples[0];
    expect(first?.prompt).toEqual(stories.encode('Tom had a ball.'));
    expect(first?.prompt[0]).toBe(stories.bosTokenId);
    expect(first?.completion).toEqual([
      ...stories.encode(' He smiled.', { addSpecialTokens: false }),
      stories.eosTokenId,
    ]);
    expect(first?.label).toBe(true);
    // the long completion is cut to the room left after its prompt
    const long = p.examples[1];
    expect(long?.prompt).toEqual(first?.prompt);
    expect((long?.prompt.length ?? 0) + (long?.completion.length ?? 0)).toBe(16);
    expect(p.truncated).toBe(1);
    expect(p.truncatedPrompts).toBe(0);
  });

  it('conversational records go through the chat template (option chat_template when the tokenizer has none)', async () => {
    const template =
      '{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}';
    const p = await prepareKtoData(
      [{ prompt: [{ role: 'user', content: 'Hi' }], completion: 'Yes', label: true }],
      stories,
      { maxSeqLength: 64, vocabSize: 512, chatTemplate: template },
    );
    expect(stories.decode(p.examples[0]?.prompt ?? [])).toBe('user: Hi\nassistant:');
    expect(stories.decode(p.examples[0]?.completion ?? [])).toBe(' Yes\n');
  });

  it('accepts async iterables', async () => {
    async function* gen() {
      yield { prompt_input_ids: [1, 9], completion_input_ids: [7, 2], label: true };
      yield { prompt_input_ids: [1, 8], completion_input_ids: [6], label: false };
    }
    const p = await prepareKtoData(gen(), null, { maxSeqLength: 8, vocabSize: 512 });
    expect(p.examples).toEqual([
      { prompt: [1, 9], completion: [7, 2], label: true },
      { prompt: [1, 8], completion: [6], label: false },
    ]);
  });
});

describe('the KL pairs and the batch layout', () => {
  it('prompt i with the completion of example i − 1 (TRL: completions shifted by one within the batch), cut to fit', () => {
    const ex = [
      { prompt: [1, 4], completion: [7] },
      { prompt: [1, 5], completion: [8, 9] },
      { prompt: [1, 6, 6, 6], completion: [10, 11, 12] },
    ];
    expect(klPairs(ex, 6)).toEqual([
      { prompt: [1, 4], completion: [10, 11, 12] },
      { prompt: [1, 5], completion: [7] },
      { prompt: [1, 6, 6, 6], completion: [8, 9] },
    ]);
    expect(klPairs(ex, 5)[2]).toEqual({ prompt: [1, 6, 6, 6], completion: [8] });
    expect(klPairs([ex[0] as (typeof ex)[0]], 6)).toEqual([ex[0]]); // B = 1: the example itself
  });

  it('collateSequences: right padding, labels on the completion only', async () => {
    const b = collateSequences(
      createJsBackend(),
      [
        { prompt: [1, 5], completion: [7, 2] },
        { prompt: [1], completion: [9] },
      ],
      0,
    );
    expect(b.inputIds.shape).toEqual([2, 4]);
    expect(Array.from(await b.inputIds.data())).toEqual([1, 5, 7, 2, 1, 9, 0, 0]);
    const x = IGNORE_INDEX;
    expect(Array.from(await b.labels.data())).toEqual([x, 7, 2, x, 9, x, x, x]);
    expect([b.rows, b.tokens]).toEqual([2, 6]);
  });
});
