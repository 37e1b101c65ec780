import type { HfDirectoryFiles } from '../hf/content-from-files.js';
import { parseSafetensorsHeader } from '../safetensors/parse-header.js';
import { serializeSafetensors } from '../safetensors/serialize-safetensors.js';
import { rawSafetensors } from './raw-safetensors.js';
import { mutateSafetensorsHeader, safetensorsCandidate } from './safetensors-mutations.js';

/**
 * Seeded mutations of the files of a model directory (`config.json`, `generation_config.json`,
 * `tokenizer.json`, the weights) and of chat templates, for fuzzing the loaders: every generator takes a
 * random source in [0, 1) and valid base files, and returns a variant that is often still valid and often
 * broken in one place.
 */

/** A random source in [0, 1) (see `seededRandom`). */
export type RandomSource = () => number;

const int = (random: RandomSource, n: number) => Math.floor(random() * n);
const pick = <T>(random: RandomSource, items: readonly T[]): T => items[int(random, items.length)] as T;

/** Values that break loaders: huge, tiny, negative, fractional, non-finite, wrong types. */
export const NASTY_VALUES: readonly unknown[] = [
  0,
  -1,
  1,
  2,
  3,
  7,
  0.5,
  -1e-5,
  1e-300,
  1e9,
  2 ** 31,
  2 ** 32 + 1,
  2 ** 40,
  2 ** 53 + 2,
  1e308,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
  '',
  '64',
  'abc',
  '\u0000',
  null,
  true,
  false,
  [],
  [1, 2],
  {},
  { a: 1 },
];

/** Replaces, deletes, scales or retypes one value somewhere in a JSON-like value (a copy is returned). */
export function mutateJson(random: RandomSource, value: unknown, preferredKeys: readonly string[] = []): unknown {
  const copy = structuredClone(value) as unknown;
  if (typeof copy !== 'object' || copy === null) return pick(random, NASTY_VALUES);
  // Walk down a random path (preferring the given keys at the top level).
  let parent = copy as Record<string, unknown>;
  let key: string | number;
  const top = Object.keys(parent);
  if (preferredKeys.length && random() < 0.7) key = pick(random, preferredKeys);
  else if (top.length) key = pick(random, top);
  else key = 'x';
  for (let depth = 0; depth < 4; depth++) {
    const child: unknown = parent[key as string];
    if (typeof child !== 'object' || child === null || random() < 0.4) break;
    const keys: (string | number)[] = Array.isArray(child) ? child.map((_, i) => i) : Object.keys(child);
    if (!keys.length) break;
    parent = child as Record<string, unknown>;
    key = pick(random, keys as (string | number)[]);
  }
  const old = parent[key];
  switch (int(random, 6)) {
    case 0:
      delete parent[key];
      break;
    case 1:
      parent[key] =
        typeof old === 'number' ? old * pick(random, [2, 1000, -1, 0, 1e9, 0.5]) : pick(random, NASTY_VALUES);
      break;
    case 2:
      parent[key] = typeof old === 'number' ? old + pick(random, [1, -1, 64]) : pick(random, NASTY_VALUES);
      break;
    case 3:
      parent[`${String(key)}_${int(random, 3)}`] = pick(random, NASTY_VALUES);
      break;
    default:
      parent[key] = pick(random, NASTY_VALUES);
  }
  return copy;
}

/** The size and token keys of a Llama / GPT-2 `config.json`, which mutations prefer. */
export const CONFIG_KEYS = [
  'vocab_size',
  'hidden_size',
  'intermediate_size',
  'num_hidden_layers',
  'num_attention_heads',
  'num_key_value_heads',
  'head_dim',
  'max_position_embeddings',
  'rope_theta',
  'rms_norm_eps',
  'tie_word_embeddings',
  'attention_bias',
  'model_type',
  'bos_token_id',
  'eos_token_id',
  'pad_token_id',
  'n_embd',
  'n_layer',
  'n_head',
  'n_positions',
  'n_inner',
  'layer_norm_epsilon',
] as const;

/** Regexes for tokenizer pre-tokenizers / normalizers: real ones, catastrophic ones and broken ones. */
export const REGEX_POOL: readonly string[] = [
  "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
  '(a+)+$',
  '(a|aa)+b',
  '(.*)*x',
  '(\\s*\\w)+$',
  '(a?){30}a{30}',
  '.*.*.*x',
  '(?:(?:a+)b?)+c',
  '\\d+',
  ' ',
  '',
  '(',
  '[',
  '\\',
  '\\p{Bogus}',
  '(?<=a+)b',
  'a{99999}',
];

const REGEX_PIECES = [
  'a',
  '.',
  '\\s',
  '\\w',
  '\\p{L}',
  '[a-z]',
  '(',
  ')',
  '(?:',
  '|',
  '*',
  '+',
  '?',
  '{2,}',
  '{1,3}',
  '^',
  '$',
  '(?=',
  '(?!',
  '[',
  ']',
  '\\',
  'b',
];

/** A random regex source (often invalid, sometimes catastrophic). */
export function randomRegex(random: RandomSource): string {
  if (random() < 0.5) return pick(random, REGEX_POOL);
  return Array.from({ length: 1 + int(random, 12) }, () => pick(random, REGEX_PIECES)).join('');
}

/** A variant of a `tokenizer.json`: a new pre-tokenizer / normalizer regex, a broken vocabulary or merges, or any value. */
export function mutateTokenizerJson(random: RandomSource, base: Record<string, unknown>): Record<string, unknown> {
  const t = structuredClone(base);
  const model = (t.model ?? {}) as Record<string, unknown>;
  switch (int(random, 8)) {
    case 0:
      t.pre_tokenizer = {
        type: 'Split',
        pattern: { Regex: randomRegex(random) },
        behavior: pick(random, ['Isolated', 'Removed', 'MergedWithPrevious', 'Contiguous', 'bogus']),
        invert: random() < 0.2,
      };
      break;
    case 1:
      t.normalizer = {
        type: 'Replace',
        pattern: { Regex: randomRegex(random) },
        content: pick(random, ['', ' ', 'aa']),
      };
      break;
    case 2: {
      const vocab = model.vocab as Record<string, unknown> | undefined;
      if (vocab && typeof vocab === 'object') {
        const keys = Object.keys(vocab);
        for (let i = 0; i < 1 + int(random, 3); i++) {
          vocab[keys.length && random() < 0.7 ? pick(random, keys) : `tok${int(random, 99)}`] = pick(
            random,
            NASTY_VALUES,
          );
        }
      }
      break;
    }
    case 3: {
      const merges = model.merges as unknown[] | undefined;
      if (Array.isArray(merges) && merges.length) merges[int(random, merges.length)] = pick(random, NASTY_VALUES);
      else model.merges = pick(random, NASTY_VALUES);
      break;
    }
    case 4:
      model.type = pick(random, ['BPE', 'WordLevel', 'WordPiece', 'Unigram', 'bogus', 42]);
      break;
    case 5:
      t.added_tokens = [{ id: pick(random, NASTY_VALUES), content: pick(random, ['<x>', '', 'a', 42]), special: true }];
      break;
    case 6:
      return mutateJson(random, t, ['model', 'pre_tokenizer', 'normalizer', 'decoder', 'post_processor']) as Record<
        string,
        unknown
      >;
    default:
      break; // unchanged
  }
  return t;
}

const TEMPLATE_FRAGMENTS = [
  '{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}',
  '{{ bos_token }}',
  '{% if add_generation_prompt %}<|assistant|>{% endif %}',
  '{% for i in range(N) %}x{% endfor %}',
  '{% for i in range(N) %}{% for j in range(N) %}{% endfor %}{% endfor %}',
  "{% set ns = namespace(s='ab') %}{% for i in range(N) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
  '{% set ns = namespace(s=[1]) %}{% for i in range(N) %}{% set ns.s = ns.s + ns.s %}{% endfor %}',
  "{{ 'a\nb'|indent(N) }}",
  '{{ messages|tojson(indent=N) }}',
  '{{ messages[N].content }}',
  '{{ 10 ** N }}',
  "{{ 'x' * N }}",
  '{% macro f(n) %}{{ n }}{% endmacro %}{{ f(N) }}',
  "{{ raise_exception('bad role') }}",
  "{{ messages[0].content|replace('', 'xy') }}",
  "{{ (messages|map(attribute='content')|join(' '))|upper }}",
  '{{ messages|length }}',
  '{% if messages[0].role == "system" %}{{ messages[0].content }}{% endif %}',
  '{% filter upper %}{{ messages[0].content }}{% endfilter %}',
  "{{ messages[0].content.split(' ')|reverse|join('') }}",
  '{{ range(N)|sum }}',
  '{{ strftime_now("%d %b %Y") }}',
  '{%',
  '{{',
  '{% endfor %}',
  '}}',
];

/** A random chat template: fragments with numbers from the nasty list, or a cut / spliced base template. */
export function chatTemplateCase(random: RandomSource, baseTemplate: string): string {
  const n = () => String(pick(random, [0, 1, 2, 10, 100, 1000, 10_000, 100_000, 300_000_000, 1e9, -1, 64]));
  if (random() < 0.3) {
    const a = int(random, baseTemplate.length + 1);
    const b = Math.min(baseTemplate.length, a + int(random, 40));
    const insert = random() < 0.5 ? pick(random, TEMPLATE_FRAGMENTS).replaceAll('N', n()) : '';
    return baseTemplate.slice(0, a) + insert + baseTemplate.slice(b);
  }
  return Array.from({ length: 1 + int(random, 3) }, () => pick(random, TEMPLATE_FRAGMENTS).replaceAll('N', n())).join(
    '',
  );
}

/** Random chat messages: mostly well-formed, sometimes with missing roles, non-string content, odd text. */
export function messagesCase(random: RandomSource): unknown[] {
  return Array.from({ length: int(random, 5) }, (_, i) => {
    if (random() < 0.1) return pick(random, NASTY_VALUES);
    const m: Record<string, unknown> = {
      role: random() < 0.9 ? pick(random, ['user', 'assistant', 'system']) : pick(random, NASTY_VALUES),
      content:
        random() < 0.85
          ? pick(random, ['Hi', '', 'a'.repeat(int(random, 200)), 'é\u0000\ud800', `turn ${i}`])
          : pick(random, NASTY_VALUES),
    };
    return m;
  });
}

/**
 * A variant of a model directory's files: a mutated config, generation config or tokenizer, or weights
 * with a tensor dropped, renamed, reshaped or holding NaN / infinity, or a mutated safetensors header, or
 * random safetensors bytes.
 */
export function modelFilesCase(random: RandomSource, base: HfDirectoryFiles): HfDirectoryFiles {
  const files: HfDirectoryFiles = { ...base };
  const what = int(random, 8);
  if (what === 0) files.config = mutateJson(random, base.config, CONFIG_KEYS);
  else if (what === 1) {
    files.config = mutateJson(random, mutateJson(random, base.config, CONFIG_KEYS), CONFIG_KEYS);
  } else if (what === 2) {
    files.generationConfig = mutateJson(random, base.generationConfig ?? {}, [
      'bos_token_id',
      'eos_token_id',
      'pad_token_id',
    ]);
  } else if (what === 3 && base.tokenizerJson) {
    files.tokenizerJson = mutateTokenizerJson(random, base.tokenizerJson as Record<string, unknown>);
  } else if (what === 4 || what === 5) {
    // Tensor-level: drop, rename, reshape, poison.
    const { entries, dataStart } = parseSafetensorsHeader(base.weights);
    const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const e of entries) {
      const data = new Float32Array(base.weights.slice(dataStart + e.begin, dataStart + e.end).buffer);
      tensors.set(e.name, { shape: [...e.shape], data });
    }
    const names = [...tensors.keys()];
    const name = pick(random, names);
    const t = tensors.get(name) as { shape: number[]; data: Float32Array };
    switch (int(random, 5)) {
      case 0:
        tensors.delete(name);
        break;
      case 1:
        tensors.delete(name);
        tensors.set(
          pick(random, [`${name}.x`, 'lm_head.weight', 'score.weight', 'model.layers.99.mlp.up_proj.weight']),
          t,
        );
        break;
      case 2: {
        const shape = [...t.shape].reverse();
        tensors.set(name, { shape: shape.length > 1 ? shape : [1, ...shape], data: t.data });
        break;
      }
      default: {
        const data = t.data.slice();
        if (data.length)
          data[int(random, data.length)] = pick(random, [
            Number.NaN,
            Number.POSITIVE_INFINITY,
            Number.NEGATIVE_INFINITY,
            3e38,
            -0,
          ]);
        tensors.set(name, { shape: t.shape, data });
      }
    }
    files.weights = serializeSafetensors(tensors);
  } else if (what === 6) {
    const { dataStart } = parseSafetensorsHeader(base.weights);
    const headerText = new TextDecoder().decode(base.weights.subarray(8, dataStart));
    const header = mutateSafetensorsHeader(random, JSON.parse(headerText) as Record<string, unknown>);
    files.weights = rawSafetensors(header, base.weights.subarray(dataStart));
  } else {
    files.weights = safetensorsCandidate(random);
  }
  return files;
}
