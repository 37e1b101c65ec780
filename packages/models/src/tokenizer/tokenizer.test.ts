import { describe, expect, it } from 'vitest';
import { readData, readDataText } from '../__fixtures__/data.js';
import { convertLlama2c } from '../llama2c/convert-llama2c.js';
import { Tokenizer } from './tokenizer.js';
import { TokenizerError } from './tokenizer-error.js';

const phi3Json = JSON.parse(readDataText('tokenizers/phi-3-mini/tokenizer.json'));
const phi3Config = JSON.parse(readDataText('tokenizers/phi-3-mini/tokenizer_config.json'));
const phi3 = Tokenizer.fromJSON(phi3Json, phi3Config);

/**
 * llama.cpp's vocab test files: `.inp` holds the strings, each followed by the line
 * `__ggml_vocab_test__` (so every string ends before "\n__ggml_vocab_test__\n", and the file ends with
 * that separator); `.out` holds one line per string, the ids separated by spaces (with a leading space),
 * an empty line for the empty string. The ids are without BOS (llama.cpp tokenises with add_special false).
 */
function referenceCases(): { text: string; ids: number[] }[] {
  const inputs = readDataText('tokenizers/phi-3-mini/reference.inp').split('\n__ggml_vocab_test__\n');
  expect(inputs.pop()).toBe(''); // after the final separator
  const outputs = readDataText('tokenizers/phi-3-mini/reference.out').split('\n');
  expect(outputs.pop()).toBe(''); // the final newline
  expect(outputs).toHaveLength(inputs.length);
  return inputs.map((text, i) => ({
    text,
    ids: (outputs[i] as string).trim() === '' ? [] : (outputs[i] as string).trim().split(' ').map(Number),
  }));
}

describe('Tokenizer (phi-3-mini)', () => {
  const cases = referenceCases();

  it('gives the reference ids for 46 of 46 strings', () => {
    expect(cases).toHaveLength(46);
    const failures = cases.filter(
      ({ text, ids }) => JSON.stringify(phi3.encode(text, { addSpecialTokens: false })) !== JSON.stringify(ids),
    );
    expect(failures).toEqual([]);
  });

  it('adds no BOS by default, as add_bos_token is false', () => {
    for (const { text, ids } of cases) expect(phi3.encode(text)).toEqual(ids);
  });

  it('parses the reference format: empty string, whitespace-only strings, strings with newlines', () => {
    expect(cases[2]).toEqual({ text: '', ids: [] });
    expect(cases[3]).toEqual({ text: ' ', ids: [259] });
    expect(cases.some(({ text }) => text === '\n\n')).toBe(true);
    expect(cases[0]?.text).toBe('ied 4 ½ months');
  });

  it('decodes the reference ids back to the strings', () => {
    for (const { text, ids } of cases) expect(phi3.decode(ids)).toBe(text);
  });

  it('reads the special tokens from tokenizer_config.json', () => {
    expect([phi3.bosTokenId, phi3.eosTokenId, phi3.padTokenId, phi3.unkTokenId]).toEqual([1, 32000, 32000, 0]);
    expect(phi3.vocabSize).toBe(32011);
    expect(phi3.tokenToId('<|assistant|>')).toBe(32001);
    expect(phi3.idToToken(32007)).toBe('<|end|>');
  });

  describe('chat template', () => {
    const conversation = [
      { role: 'user', content: 'Hi, who are you?' },
      { role: 'assistant', content: 'I am a helpful assistant.' },
      { role: 'user', content: 'Tell me a joke.' },
      { role: 'assistant', content: 'Why did the chicken cross the road?' },
    ];
    // What the template writes: each turn '<|role|>\n' + content + '<|end|>\n'; then, with
    // add_generation_prompt, '<|assistant|>\n', otherwise eos_token ('<|endoftext|>').
    const turns =
      '<|user|>\nHi, who are you?<|end|>\n' +
      '<|assistant|>\nI am a helpful assistant.<|end|>\n' +
      '<|user|>\nTell me a joke.<|end|>\n' +
      '<|assistant|>\nWhy did the chicken cross the road?<|end|>\n';

    it('renders a two-turn conversation without the generation prompt', () => {
      expect(phi3.applyChatTemplate(conversation, { tokenize: false })).toBe(`${turns}<|endoftext|>`);
    });

    it('renders it with the generation prompt', () => {
      expect(phi3.applyChatTemplate(conversation, { tokenize: false, addGenerationPrompt: true })).toBe(
        `${turns}<|assistant|>\n`,
      );
    });

    it('tokenizes by default, without adding special tokens again', () => {
      const ids = phi3.applyChatTemplate(conversation, { addGenerationPrompt: true });
      expect(ids).toEqual(phi3.encode(`${turns}<|assistant|>\n`, { addSpecialTokens: false }));
      expect(ids.filter((id) => id >= 32000)).toEqual([32010, 32007, 32001, 32007, 32010, 32007, 32001, 32007, 32001]);
      expect(phi3.decode(ids, { skipSpecialTokens: true })).toContain('Tell me a joke.');
    });

    it('takes a template string or a named template, and extra variables', () => {
      const template = '{% for m in messages %}[{{ m.role }}|{{ m.content }}|{{ who }}]{% endfor %}{{ bos_token }}';
      expect(
        phi3.applyChatTemplate(conversation.slice(0, 1), {
          tokenize: false,
          chatTemplate: template,
          context: { who: 'x' },
        }),
      ).toBe('[user|Hi, who are you?|x]<s>');
      const named = Tokenizer.fromJSON(phi3Json, {
        ...phi3Config,
        chat_template: [
          { name: 'default', template: 'D{{ messages | length }}' },
          { name: 'rag', template: 'R{{ documents | length }}' },
        ],
      });
      expect(named.applyChatTemplate(conversation, { tokenize: false })).toBe('D4');
      expect(
        named.applyChatTemplate(conversation, { tokenize: false, chatTemplate: 'rag', context: { documents: [1, 2] } }),
      ).toBe('R2');
      expect(() => named.applyChatTemplate(conversation, { chatTemplate: 'tools' })).toThrow(
        /no chat template named 'tools' \(it has: default, rag\)/,
      );
    });

    it('reports template errors as TokenizerError', () => {
      const failing = "{{ raise_exception('Conversation roles must alternate') }}";
      expect(() => phi3.applyChatTemplate(conversation, { chatTemplate: failing })).toThrow(TokenizerError);
      expect(() => phi3.applyChatTemplate(conversation, { chatTemplate: failing })).toThrow(
        /failed to render: Conversation roles must alternate/,
      );
      expect(() => phi3.applyChatTemplate(conversation, { chatTemplate: '{% for %}' })).toThrow(/does not parse/);
    });
  });
});

describe('Tokenizer (converted llama2.c stories260K)', () => {
  const content = convertLlama2c(
    readData('models/stories260K/stories260K.bin'),
    readData('models/stories260K/tok512.bin'),
  );
  const stories = Tokenizer.fromJSON(content.tokenizerJson, content.tokenizerConfig);

  it('encodes with BOS and decodes without it', () => {
    expect(stories.encode('Once upon a time')).toEqual([1, 403, 407, 261, 378]);
    expect(stories.decode([1, 403, 407, 261, 378], { skipSpecialTokens: true })).toBe('Once upon a time');
    expect(stories.decode([])).toBe('');
  });

  it('follows add_bos_token / add_eos_token of a Llama tokenizer_config, as LlamaTokenizerFast does', () => {
    const noBos = Tokenizer.fromJSON(content.tokenizerJson, { ...content.tokenizerConfig, add_bos_token: false });
    expect(noBos.encode('Once upon a time')).toEqual([403, 407, 261, 378]);
    const withEos = Tokenizer.fromJSON(content.tokenizerJson, { ...content.tokenizerConfig, add_eos_token: true });
    expect(withEos.encode('Once upon a time')).toEqual([1, 403, 407, 261, 378, 2]);
    // without a config, tokenizer.json's own post-processor (BOS) applies
    expect(Tokenizer.fromJSON(content.tokenizerJson).encode('Once')).toEqual([1, 403]);
  });

  it('falls back to EOS, then UNK, for padding', () => {
    expect(stories.padTokenId).toBe(2);
    const noEos = Tokenizer.fromJSON(content.tokenizerJson, { ...content.tokenizerConfig, eos_token: null });
    expect(noEos.padTokenId).toBe(0);
    const withPad = Tokenizer.fromJSON(content.tokenizerJson, {
      ...content.tokenizerConfig,
      pad_token: { content: '<unk>' },
    });
    expect(withPad.padTokenId).toBe(0);
  });

  it('has no chat template: a typed error says so', () => {
    expect(stories.chatTemplate).toBeUndefined();
    let caught: unknown;
    try {
      stories.applyChatTemplate([{ role: 'user', content: 'Hi' }]);
    } catch (error) {
      caught = error;
    }
    expect(TokenizerError.isInstance(caught)).toBe(true);
    expect((caught as TokenizerError).code).toBe('TOKENIZER_NO_CHAT_TEMPLATE');
  });

  it('rejects ids outside the vocabulary when decoding', () => {
    expect(() => stories.decode([1, 512])).toThrow(TokenizerError);
    expect(() => stories.decode([1, 512])).toThrow(/Cannot decode token id 512: ids run from 0 to 511/);
    expect(() => stories.decode([-1])).toThrow(/token id -1/);
    expect(() => stories.decode([1.5])).toThrow(/token id 1.5/);
  });

  it('rejects a tokenizer.json it cannot use', () => {
    expect(() => Tokenizer.fromJSON({})).toThrow(/must be an object with a "model"/);
    const broken = { ...content.tokenizerJson, normalizer: { type: 'NoSuchNormalizer' } };
    let caught: unknown;
    try {
      Tokenizer.fromJSON(broken);
    } catch (error) {
      caught = error;
    }
    expect((caught as TokenizerError).code).toBe('TOKENIZER_INVALID');
    expect((caught as Error).message).toMatch(/Cannot build the tokenizer: Unknown Normalizer type: NoSuchNormalizer/);
  });
});
