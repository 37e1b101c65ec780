import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expectTypedError } from '@rlhf/core/testing';
import { describe, expect, it } from 'vitest';
import { renderChatTemplate } from './chat-template.js';
import { Tokenizer } from './tokenizer.js';
import { TokenizerError } from './tokenizer-error.js';

const messages = [
  { role: 'user', content: 'Hi' },
  { role: 'assistant', content: 'Hello!' },
];

describe('chat templates are data: bounded steps and size', () => {
  it.each([
    ['a 3·10^8 range', '{% for i in range(300000000) %}x{% endfor %}', '300000000'],
    ['a 10^9 range computed by **', '{% for i in range(10**9) %}x{% endfor %}', '1000000000'],
    ['a 10^9 range through a variable', '{% set n = 10**9 %}{% for i in range(n) %}{% endfor %}', '1000000000'],
    [
      'nested loops of 10^4 × 10^4 (empty body)',
      '{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}',
      'steps',
    ],
    [
      'nested loops of 10^4 × 10^4 (writing output)',
      '{% for i in range(10000) %}{% for j in range(10000) %}ab{% endfor %}{% endfor %}',
      'steps',
    ],
    [
      'three nested loops of 10^3',
      '{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}{% endfor %}{% endfor %}{% endfor %}',
      'steps',
    ],
    [
      'a loop over messages repeated 10^5 times',
      '{% for i in range(100000) %}{% for m in messages %}{{ m.content }}{% endfor %}{% endfor %}',
      'steps',
    ],
    [
      'a string doubled 64 times',
      "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
      'a value of length',
    ],
    [
      'a string doubled with +',
      "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s }}",
      'a value of length',
    ],
    [
      'a list doubled 64 times',
      '{% set ns = namespace(s=[1]) %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}',
      'a value of length',
    ],
    ['indent with a width of 5·10^8', "{{ 'a\\nb' | indent(500000000) }}", 'numeric argument'],
    ['tojson with an indent of 10^8', '{{ messages | tojson(indent=100000000) }}', 'numeric argument'],
  ])('chat template: %s ends with a typed limit error', async (_title, template, mention) => {
    const started = Date.now();
    await expectTypedError(() => renderChatTemplate(template, { messages }), {
      type: TokenizerError,
      code: 'TOKENIZER_CHAT_TEMPLATE_LIMIT',
      mentions: ['chat template', mention],
      timeoutMs: 10_000,
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it.each([
    ['string multiplication (not supported by the engine)', "{{ 'a' * 1000000000 }}", 'Unknown operator'],
    [
      'a macro calling itself (no recursion in the engine)',
      '{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}',
      'not a function',
    ],
    [
      'two macros calling each other',
      '{% macro a(n) %}{{ b(n) }}{% endmacro %}{% macro b(n) %}{{ a(n) }}{% endmacro %}{{ a(0) }}',
      'not a function',
    ],
    ['10^5 nested parentheses', `{{ ${'('.repeat(100_000)}1${')'.repeat(100_000)} }}`, 'does not parse'],
    ['5,000 nested ifs', `${'{% if true %}'.repeat(5000)}x${'{% endif %}'.repeat(5000)}`, 'does not parse'],
    ['raise_exception', "{{ raise_exception('no system role') }}", 'no system role'],
  ])('chat template: %s is a typed error', async (_title, template, mention) => {
    await expectTypedError(() => renderChatTemplate(template, { messages }), {
      type: TokenizerError,
      code:
        mention === 'does not parse' ||
        mention === 'Unknown operator' ||
        mention === 'not a function' ||
        mention === 'no system role'
          ? 'TOKENIZER_CHAT_TEMPLATE'
          : undefined,
      mentions: ['chat template', mention],
    });
  });

  it('chat template: a template of 2 MB is refused before parsing', async () => {
    await expectTypedError(() => renderChatTemplate('x'.repeat(2_000_000), { messages }), {
      type: TokenizerError,
      code: 'TOKENIZER_CHAT_TEMPLATE_LIMIT',
      mentions: ['1000000 characters', '2000000'],
    });
  });

  it('a long conversation within the bounds still renders (the bounds scale with the input)', () => {
    const long = Array.from({ length: 2000 }, (_, i) => ({
      role: i % 2 ? 'assistant' : 'user',
      content: 'x'.repeat(1000),
    }));
    const text = renderChatTemplate('{% for m in messages %}<|{{ m.role }}|>{{ m.content }}\n{% endfor %}', {
      messages: long,
    });
    expect(text.length).toBe(2000 * 1000 + 1000 * '<|user|>\n'.length + 1000 * '<|assistant|>\n'.length);
  });
});

/** A tiny word-level tokenizer whose pre-tokenizer splits on `pattern`. */
function splitTokenizer(pattern: string, where: 'pre_tokenizer' | 'normalizer' = 'pre_tokenizer'): object {
  return {
    version: '1.0',
    added_tokens: [],
    normalizer: where === 'normalizer' ? { type: 'Replace', pattern: { Regex: pattern }, content: ' ' } : null,
    pre_tokenizer:
      where === 'pre_tokenizer'
        ? {
            type: 'Sequence',
            pretokenizers: [{ type: 'Split', pattern: { Regex: pattern }, behavior: 'Isolated', invert: false }],
          }
        : { type: 'Whitespace' },
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab: { a: 0, ' b': 1, '[UNK]': 2 }, unk_token: '[UNK]' },
  };
}

describe('tokenizer regexes: catastrophic backtracking is refused at load', () => {
  it.each([
    ['(a+)+$', 'nested quantifiers'],
    ['(a|aa)+b', 'ambiguous alternation'],
    ['(.*)*x', 'nested quantifiers'],
    ['(\\s*\\w)+$', 'nested quantifiers'],
    ['(a?){25}a{25}', 'nested quantifiers'],
    ['(\\w|\\d)+!', 'ambiguous alternation'],
    ['.*.*.*x', 'degree > 2'],
    ['(?:(?:a+)b?)+c', 'nested quantifiers'],
  ])('tokenizer regex: Split pattern %s', async (pattern, mention) => {
    await expectTypedError(() => Tokenizer.fromJSON(splitTokenizer(pattern)), {
      type: TokenizerError,
      code: 'TOKENIZER_REGEX_UNSAFE',
      mentions: ['tokenizer.json', '$.pre_tokenizer.pretokenizers[0].pattern.Regex', mention],
    });
  });

  it('tokenizer regex: a normalizer Replace pattern (a+)+ is refused too', async () => {
    await expectTypedError(() => Tokenizer.fromJSON(splitTokenizer('(a+)+$', 'normalizer')), {
      type: TokenizerError,
      code: 'TOKENIZER_REGEX_UNSAFE',
      mentions: ['$.normalizer.pattern.Regex'],
    });
  });

  it('tokenizer regex: the GPT-2, Llama 3 and o200k split patterns are accepted and encode', () => {
    for (const pattern of [
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
      "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
      "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
    ]) {
      const tok = Tokenizer.fromJSON(splitTokenizer(pattern));
      expect(tok.encode('a b', { addSpecialTokens: false })).toEqual([0, 1]);
    }
  });
});

const modelsDist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

describe.runIf(existsSync(modelsDist))('tokenizer regex: a child process with a kill timer', () => {
  it('tokenizer regex: loading (a+)+$ and encoding 40 a’s ends at once with a typed error, no hang', () => {
    const script = `
      import { Tokenizer } from ${JSON.stringify(modelsDist)};
      try {
        const t = Tokenizer.fromJSON(${JSON.stringify(splitTokenizer('(a+)+$'))});
        t.encode('a'.repeat(40) + '!');
        console.log('SUCCESS');
      } catch (e) { console.log(e.code ?? 'UNTYPED'); }`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      timeout: 20_000,
      encoding: 'utf8',
    });
    expect(run.signal, 'the child hung and was killed').toBeNull();
    expect(run.stdout.trim()).toBe('TOKENIZER_REGEX_UNSAFE');
  });
});

describe('tokenizer.json components that fail only when used', () => {
  it('tokenizer: a decoder sequence holding null → TokenizerError on decode, not a TypeError', async () => {
    const json = { ...splitTokenizer(' '), decoder: { type: 'Sequence', decoders: [null] } };
    const tokenizer = Tokenizer.fromJSON(json);
    await expectTypedError(() => tokenizer.decode([0, 1]), {
      type: TokenizerError,
      code: 'TOKENIZER_INVALID',
      mentions: ['tokenizer.json', 'decoding failed'],
    });
  });

  it('tokenizer: a vocabulary id of 2^31 → TokenizerError at load (the library would size a table by it)', async () => {
    const json = splitTokenizer(' ') as { model: { vocab: Record<string, number> } };
    json.model.vocab.c = 2 ** 31;
    await expectTypedError(() => Tokenizer.fromJSON(json), {
      type: TokenizerError,
      code: 'TOKENIZER_INVALID',
      mentions: ['tokenizer.json', 'model.vocab["c"]', '2147483648'],
    });
  });

  it('tokenizer: an added token with id -1 → TokenizerError at load', async () => {
    const json = { ...splitTokenizer(' '), added_tokens: [{ id: -1, content: '<x>', special: true }] };
    await expectTypedError(() => Tokenizer.fromJSON(json), {
      type: TokenizerError,
      mentions: ['added_tokens[0].id', '-1'],
    });
  });

  it('tokenizer: a word-level model whose unk_token is missing → TokenizerError on encode, never an undefined id', async () => {
    const json = splitTokenizer(' ') as { model: Record<string, unknown> };
    json.model = { type: 'WordLevel', vocab: { a: 0 }, unk_token: '[UNK]' };
    const tokenizer = Tokenizer.fromJSON(json);
    await expectTypedError(() => tokenizer.encode('zzz', { addSpecialTokens: false }), {
      type: TokenizerError,
      code: 'TOKENIZER_INVALID',
      mentions: ['tokenizer.json', 'not a token id'],
    });
  });
});
