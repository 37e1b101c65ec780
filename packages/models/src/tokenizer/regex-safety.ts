import { TokenizerError } from './tokenizer-error.js';

/**
 * A load-time check of the regular expressions a `tokenizer.json` carries (pre-tokenizer `Split`,
 * normalizer `Replace`, decoders: every `{ "Regex": … }`). JavaScript regexes backtrack, so a pattern such
 * as `(a+)+$`, `(a|aa)+b` or `(.*)*x` takes time exponential in the input length; a tokenizer file is data
 * and must not be able to hang `encode`. The check parses the pattern's structure (groups, alternatives,
 * classes, quantifiers) and refuses, with a {@link TokenizerError} `TOKENIZER_REGEX_UNSAFE` naming the
 * JSON path and the pattern:
 *
 * 1. nested repetition: a quantifier that repeats (max > 1) applied to a group that itself contains a
 *    variable quantifier (`(a+)+`, `(.*)*`, `(\s*\w)+`, `(a{1,9}){2,}`, `(a?){25}`);
 * 2. repeated ambiguous alternation: a repeating quantifier on a group of alternatives unless every
 *    alternative is a fixed literal string and no two start with the same character (`(a|aa)+`, `(\w|\d)*`);
 * 3. more than two unbounded repetitions side by side in one sequence (`.*.*.*x`: cost n³ and worse);
 * 4. a pattern longer than 10,000 characters.
 *
 * The regexes of real tokenizers pass (GPT-2, Llama 3, Qwen2, GPT-4o's o200k: at most two unbounded
 * repetitions per alternative, none nested). Worst-case cost of an accepted pattern is polynomial of
 * degree ≤ 2 in the segment length.
 */
const MAX_PATTERN_LENGTH = 10_000;

/** Treat `{n,m}` with m above this as unbounded. */
const LARGE = 32;

interface Item {
  /** `group` for (…), `atom` for a character, class or escape. */
  kind: 'group' | 'atom';
  /** For a group: its alternatives. */
  alternatives?: Item[][];
  /** For an atom: the literal character when it is one (not a class or class escape). */
  literal?: string;
  min: number;
  max: number;
}

class Parser {
  i = 0;
  /** Starts parsing the regex source `s`. */
  constructor(readonly s: string) {}

  parseAlternatives(): Item[][] {
    const alternatives: Item[][] = [[]];
    while (this.i < this.s.length) {
      const c = this.s[this.i] as string;
      if (c === ')') return alternatives;
      if (c === '|') {
        this.i++;
        alternatives.push([]);
        continue;
      }
      const item = this.parseAtom();
      this.parseQuantifier(item);
      (alternatives[alternatives.length - 1] as Item[]).push(item);
    }
    return alternatives;
  }

  parseAtom(): Item {
    const s = this.s;
    const c = s[this.i] as string;
    if (c === '(') {
      this.i++;
      if (s[this.i] === '?') {
        // (?:  (?=  (?!  (?<=  (?<!  (?<name>  (?>  (?i:  (?i-m:  (?i)
        this.i++;
        if (s[this.i] === '<' && s[this.i + 1] !== '=' && s[this.i + 1] !== '!') {
          while (this.i < s.length && s[this.i] !== '>') this.i++;
          this.i++;
        } else {
          while (this.i < s.length && /[a-zA-Z\-<=!:>]/.test(s[this.i] as string)) {
            const h = s[this.i] as string;
            this.i++;
            if (h === ':' || h === '=' || h === '!' || h === '>') break;
          }
        }
      }
      const alternatives = this.parseAlternatives();
      if (s[this.i] === ')') this.i++;
      return { kind: 'group', alternatives, min: 1, max: 1 };
    }
    if (c === '[') {
      this.skipClass();
      return { kind: 'atom', min: 1, max: 1 };
    }
    if (c === '\\') {
      const e = s[this.i + 1] ?? '';
      this.i += 2;
      if ((e === 'p' || e === 'P' || e === 'x' || e === 'u') && s[this.i] === '{') {
        while (this.i < s.length && s[this.i] !== '}') this.i++;
        this.i++;
      }
      const literal = /[dDwWsSbBpPhHRXNkK0-9]/.test(e) ? undefined : e;
      return literal === undefined ? { kind: 'atom', min: 1, max: 1 } : { kind: 'atom', literal, min: 1, max: 1 };
    }
    this.i++;
    if (c === '.' || c === '^' || c === '$') return { kind: 'atom', min: 1, max: 1 };
    return { kind: 'atom', literal: c, min: 1, max: 1 };
  }

  /** Skips `[...]` (with escapes and nested classes). */
  skipClass(): void {
    const s = this.s;
    let depth = 0;
    this.i++;
    depth++;
    if (s[this.i] === '^') this.i++;
    if (s[this.i] === ']') this.i++;
    while (this.i < s.length && depth > 0) {
      const c = s[this.i] as string;
      if (c === '\\') this.i += 2;
      else {
        if (c === '[') depth++;
        else if (c === ']') depth--;
        this.i++;
      }
    }
  }

  parseQuantifier(item: Item): void {
    const s = this.s;
    const c = s[this.i];
    let min = 1;
    let max = 1;
    if (c === '*') [min, max] = [0, Number.POSITIVE_INFINITY];
    else if (c === '+') [min, max] = [1, Number.POSITIVE_INFINITY];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d*)(,?)(\d*)\}/.exec(s.slice(this.i, this.i + 32));
      if (!m || (m[1] === '' && m[3] === '')) return; // a literal '{'
      min = m[1] === '' ? 0 : Number(m[1]);
      max = m[2] === '' ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
      this.i += m[0].length - 1;
    } else return;
    this.i++;
    if (s[this.i] === '?' || s[this.i] === '+') this.i++; // lazy / possessive
    item.min = min;
    item.max = max;
  }
}

const repeats = (item: Item) => item.max > 1;
const unbounded = (item: Item) => item.max > LARGE;

/** True when a variable quantifier (`?`, `*`, `+`, `{n,m}`) occurs anywhere inside the alternatives. */
function containsRepeat(alternatives: readonly Item[][]): boolean {
  return alternatives.some((seq) =>
    seq.some((item) => item.min !== item.max || (item.alternatives !== undefined && containsRepeat(item.alternatives))),
  );
}

function containsUnbounded(item: Item): boolean {
  return unbounded(item) || (item.alternatives?.some((seq) => seq.some(containsUnbounded)) ?? false);
}

/** The fixed literal string a sequence matches, or null when it is not one. */
function literalOf(seq: readonly Item[]): string | null {
  let out = '';
  for (const item of seq) {
    if (item.kind !== 'atom' || item.literal === undefined || item.min !== 1 || item.max !== 1) return null;
    out += item.literal;
  }
  return out;
}

/** The first reason the structure is unsafe, or null. */
function unsafeReason(alternatives: readonly Item[][]): string | null {
  for (const seq of alternatives) {
    if (seq.filter(containsUnbounded).length > 2) {
      return 'more than two unbounded repetitions side by side (polynomial backtracking of degree > 2)';
    }
    for (const item of seq) {
      if (!item.alternatives) continue;
      if (repeats(item) && containsRepeat(item.alternatives)) {
        return 'a repeated group contains a repetition (nested quantifiers backtrack exponentially)';
      }
      if (repeats(item) && item.alternatives.length > 1) {
        const literals = item.alternatives.map(literalOf);
        const firsts = literals.map((l) => (l === null || l === '' ? null : l[0]));
        if (firsts.some((f) => f === null) || new Set(firsts).size !== firsts.length) {
          return 'a repeated group of alternatives that can match the same text (ambiguous alternation backtracks exponentially)';
        }
      }
      const inner = unsafeReason(item.alternatives);
      if (inner) return inner;
    }
  }
  return null;
}

/**
 * Why a regex source is unsafe to run on untrusted-length input, or `null` when it passes the rules above.
 *
 * @example
 * ```ts
 * regexHazard('(a+)+$'); // 'a repeated group contains a repetition …'
 * regexHazard(" ?\\p{L}+| ?\\p{N}+"); // null
 * ```
 */
export function regexHazard(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  const parser = new Parser(pattern);
  const alternatives: Item[][] = [];
  // A stray ')' (invalid anyway) must not stop the scan early.
  while (parser.i < pattern.length) {
    alternatives.push(...parser.parseAlternatives());
    parser.i++;
  }
  return unsafeReason(alternatives);
}

/**
 * Checks every `{ "Regex": … }` in a `tokenizer.json` (except the vocabulary and merges) and throws a
 * {@link TokenizerError} `TOKENIZER_REGEX_UNSAFE` naming the JSON path, the pattern and the rule it breaks.
 *
 * @example
 * ```ts
 * checkTokenizerRegexes(tokenizerJson, 'tokenizer.json');
 * ```
 */
export function checkTokenizerRegexes(json: unknown, file = 'tokenizer.json'): void {
  const walk = (value: unknown, path: string, depth: number): void => {
    if (depth > 64 || typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) walk(value[i], `${path}[${i}]`, depth + 1);
      return;
    }
    for (const [key, v] of Object.entries(value)) {
      if (key === 'vocab' || key === 'merges' || key === 'added_tokens') continue;
      if (key === 'Regex') {
        const reason = typeof v === 'string' ? regexHazard(v) : 'the pattern is not a string';
        if (reason) {
          throw new TokenizerError(
            'TOKENIZER_REGEX_UNSAFE',
            `${file}: ${path}.Regex = ${JSON.stringify(v).slice(0, 120)} is refused: ${reason}.`,
          );
        }
      } else walk(v, `${path}.${key}`, depth + 1);
    }
  };
  walk(json, '$', 0);
}
