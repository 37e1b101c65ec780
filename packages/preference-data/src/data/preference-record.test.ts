import { describe, expect, it } from 'vitest';
import { dpoEnDemo, hhRlhf } from '../__fixtures__/data.js';
import { PreferenceDataError } from '../errors/preference-data-error.js';
import { fromHhRlhf, HH_ASSISTANT_MARKER } from './hh-rlhf.js';
import { toPreferencePair } from './preference-record.js';
import { fromShareGptPreference } from './sharegpt-preference.js';

/** The error thrown by `fn`, checked to be a PreferenceDataError. */
function errorOf(fn: () => unknown): PreferenceDataError {
  try {
    fn();
  } catch (e) {
    expect(PreferenceDataError.isInstance(e)).toBe(true);
    return e as PreferenceDataError;
  }
  throw new Error('expected a PreferenceDataError');
}

describe('preference records: layouts', () => {
  it("the seed's { prompt, chosen, rejected } with strings or message lists", () => {
    expect(toPreferencePair({ prompt: 'câu hỏi', chosen: 'response tốt', rejected: 'response xấu' }, 0)).toEqual({
      kind: 'text',
      prompt: 'câu hỏi',
      chosen: 'response tốt',
      rejected: 'response xấu',
    });
    const messages = {
      prompt: [{ role: 'user', content: 'Hi' }],
      chosen: [{ role: 'assistant', content: 'Hello!' }],
      rejected: [{ role: 'assistant', content: 'No.' }],
    };
    expect(toPreferencePair(messages, 3)).toEqual({ kind: 'text', ...messages });
  });

  it('pre-tokenised ids', () => {
    expect(
      toPreferencePair({ prompt_input_ids: [1, 5], chosen_input_ids: [7, 2], rejected_input_ids: [8, 2] }, 0),
    ).toEqual({
      kind: 'ids',
      prompt_input_ids: [1, 5],
      chosen_input_ids: [7, 2],
      rejected_input_ids: [8, 2],
    });
  });

  it("ShareGPT (dpo_en_demo.json): every one of the 300 records becomes messages ending with the user's turn", () => {
    const records = dpoEnDemo();
    expect(records).toHaveLength(300);
    const first = toPreferencePair(records[0], 0);
    expect(first.kind).toBe('text');
    if (first.kind !== 'text') return;
    expect(first.prompt).toEqual([
      {
        role: 'user',
        content:
          "Hi! I'd like to create a new language game simulating the first person perspective of a character named Angela.",
      },
    ]);
    expect(
      (first.chosen as { role: string; content: string }[])[0]?.content.startsWith(
        'That sounds like a fun and engaging idea!',
      ),
    ).toBe(true);
    const roles = new Set<string>();
    records.forEach((r, i) => {
      const pair = toPreferencePair(r, i);
      if (pair.kind !== 'text' || typeof pair.prompt === 'string') throw new Error('expected messages');
      for (const m of pair.prompt) roles.add(m.role);
      expect(pair.prompt[pair.prompt.length - 1]?.role).toBe('user');
    });
    expect([...roles].sort()).toEqual(['assistant', 'system', 'user']);
  });

  it('HH-RLHF: the prompt is the shared text up to the last "\\n\\nAssistant:"', () => {
    const record = {
      chosen:
        '\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: Tell me a joke\n\nAssistant: Why did the chicken cross the road?',
      rejected: '\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: Tell me a joke\n\nAssistant: No.',
    };
    expect(toPreferencePair(record, 0)).toEqual({
      kind: 'text',
      prompt: '\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: Tell me a joke\n\nAssistant:',
      chosen: ' Why did the chicken cross the road?',
      rejected: ' No.',
    });
    // Responses that share their first word: the prompt still ends at the marker.
    expect(
      fromHhRlhf({
        chosen: '\n\nHuman: Q\n\nAssistant: I can help.',
        rejected: '\n\nHuman: Q\n\nAssistant: I cannot.',
      }),
    ).toEqual({
      prompt: '\n\nHuman: Q\n\nAssistant:',
      chosen: ' I can help.',
      rejected: ' I cannot.',
    });
    // Transcripts that diverge before the last turn: the prompt ends at the last shared marker.
    expect(
      fromHhRlhf({
        chosen: '\n\nHuman: Q\n\nAssistant: A\n\nHuman: R\n\nAssistant: B',
        rejected: '\n\nHuman: Q\n\nAssistant: C',
      }),
    ).toEqual({
      prompt: '\n\nHuman: Q\n\nAssistant:',
      chosen: ' A\n\nHuman: R\n\nAssistant: B',
      rejected: ' C',
    });
  });

  it('HH-RLHF harmless-base test: all 2,312 records split; exactly the 4 with an empty chosen reply are rejected, by index', () => {
    const records = hhRlhf();
    expect(records).toHaveLength(2312);
    const failed: number[] = [];
    records.forEach((r, i) => {
      try {
        const pair = toPreferencePair(r, i);
        if (pair.kind !== 'text' || typeof pair.prompt !== 'string') throw new Error('expected text');
        expect(pair.prompt.endsWith(HH_ASSISTANT_MARKER)).toBe(true);
        const { chosen, rejected } = r as { chosen: string; rejected: string };
        expect(pair.prompt + (pair.chosen as string)).toBe(chosen);
        expect(pair.prompt + (pair.rejected as string)).toBe(rejected);
      } catch (e) {
        expect((e as PreferenceDataError).kind).toBe('PREFERENCE_EMPTY_RESPONSE');
        expect((e as Error).message).toBe(`preference_data[${i}].chosen is empty after the prompt.`);
        failed.push(i);
      }
    });
    expect(failed).toEqual([86, 516, 925, 1103]);
  });
});

describe('preference records: clear errors naming the index', () => {
  it('a record of unknown shape', () => {
    const e = errorOf(() => toPreferencePair({ question: 'q', answer: 'a' }, 7));
    expect(e.kind).toBe('PREFERENCE_RECORD_INVALID');
    expect(e.code).toBe('TRAINING_DATA_INVALID');
    expect(e.index).toBe(7);
    expect(e.message).toMatch(
      /^preference_data\[7\] is missing 'prompt', 'chosen', 'rejected' .*it has keys 'question', 'answer'\)\.$/,
    );
    expect(errorOf(() => toPreferencePair('just text', 2)).message).toBe(
      'preference_data[2] must be an object, got the string "just text".',
    );
    expect(errorOf(() => toPreferencePair({ prompt: 'p', chosen: 'c' }, 1)).message).toMatch(
      /^preference_data\[1\] is missing 'rejected'/,
    );
  });

  it('fields of the wrong type', () => {
    expect(errorOf(() => toPreferencePair({ prompt: 'p', chosen: 5, rejected: 'r' }, 4)).message).toBe(
      'preference_data[4].chosen must be a string or a list of { role, content } messages, got number 5.',
    );
    expect(
      errorOf(() => toPreferencePair({ prompt: [{ role: 'user' }], chosen: 'c', rejected: 'r' }, 0)).message,
    ).toMatch(/^preference_data\[0\]\.prompt\[0\] must be a \{ role, content \} message/);
    expect(
      errorOf(() => toPreferencePair({ prompt_input_ids: [1], chosen_input_ids: [2, -1], rejected_input_ids: [3] }, 9))
        .message,
    ).toMatch(/^preference_data\[9\]\.chosen_input_ids must be a list of non-negative integer token ids/);
    expect(errorOf(() => toPreferencePair({ chosen: ['x'], rejected: 'y' }, 5)).message).toMatch(
      /^preference_data\[5\]\.prompt is missing/,
    );
  });

  it('empty responses: strings, whitespace, messages, ids', () => {
    const empty = (r: unknown) => errorOf(() => toPreferencePair(r, 11));
    expect(empty({ prompt: 'p', chosen: '', rejected: 'r' }).message).toBe('preference_data[11].chosen is empty.');
    expect(empty({ prompt: 'p', chosen: 'c', rejected: '  \n' }).kind).toBe('PREFERENCE_EMPTY_RESPONSE');
    expect(empty({ prompt: 'p', chosen: [{ role: 'assistant', content: '' }], rejected: 'r' }).kind).toBe(
      'PREFERENCE_EMPTY_RESPONSE',
    );
    expect(empty({ prompt_input_ids: [1], chosen_input_ids: [4], rejected_input_ids: [] }).message).toBe(
      'preference_data[11].rejected_input_ids is empty.',
    );
    expect(
      empty({
        conversations: [{ from: 'human', value: 'q' }],
        chosen: { from: 'gpt', value: ' ' },
        rejected: { from: 'gpt', value: 'r' },
      }).message,
    ).toBe('preference_data[11].chosen is empty.');
  });

  it('ShareGPT: unknown speaker, conversation not ending with a human turn', () => {
    const base = { chosen: { from: 'gpt', value: 'c' }, rejected: { from: 'gpt', value: 'r' } };
    expect(
      errorOf(() => fromShareGptPreference({ conversations: [{ from: 'alien', value: 'q' }], ...base }, 3)).message,
    ).toMatch(/^preference_data\[3\]\.conversations\[0\] has unknown speaker 'alien'/);
    expect(
      errorOf(() =>
        fromShareGptPreference(
          {
            conversations: [
              { from: 'human', value: 'q' },
              { from: 'gpt', value: 'a' },
            ],
            ...base,
          },
          4,
        ),
      ).message,
    ).toBe("preference_data[4].conversations must end with a human turn (it ends with 'assistant').");
    expect(
      fromShareGptPreference({ system: 'Be brief.', conversations: [{ from: 'human', value: 'q' }], ...base }).prompt,
    ).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'q' },
    ]);
  });

  it('HH-RLHF: transcripts that share no assistant turn', () => {
    expect(errorOf(() => fromHhRlhf({ chosen: '\n\nHuman: A', rejected: '\n\nHuman: B' }, 6)).message).toBe(
      'preference_data[6] has transcripts that share no "\\n\\nAssistant:" turn, so there is no prompt.',
    );
  });
});
