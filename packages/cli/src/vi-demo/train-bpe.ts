import { type Llama2cTokenizer, llama2cTokenizerToHf } from '@rlhf/models';

/** Sentencepiece's space marker (U+2581). */
const SPACE_MARKER = '\u2581';
/** `<unk>`, `<s>`, `</s>`, then the 256 byte-fallback tokens: the layout `llama2cTokenizerToHf` reads. */
const SPECIAL_PIECES = ['<unk>', '\n<s>\n', '\n</s>\n'];

/** Options of {@link trainBpe}. */
export interface TrainBpeOptions {
  /** Size of the whole vocabulary (3 special + 256 byte tokens + characters + merges). */
  vocabSize: number;
  /** A character seen fewer times is left to the byte fallback. @defaultValue 2 */
  minCharCount?: number;
  /** Characters always in the vocabulary (e.g. `'\n'` of a prompt template). @defaultValue [] */
  requiredChars?: readonly string[];
}

/**
 * Words as the tokenizer's normaliser makes them: `▁` prepended and every space turned into `▁`, so a
 * word is `▁` followed by what stood up to the next space (the text's start has one too).
 */
function wordsOf(text: string): string[] {
  return `${SPACE_MARKER}${text.replaceAll(' ', SPACE_MARKER)}`.split(/(?=\u2581)/u).filter((w) => w.length > 0);
}

/**
 * Trains a sentencepiece-style BPE vocabulary (Sennrich et al. 2016, *Neural Machine Translation of Rare
 * Words with Subword Units*, Algorithm 1: repeatedly merge the most frequent adjacent pair) on `texts`,
 * words split at spaces with the `▁` marker as Llama's tokenizer writes them, and returns it in the
 * llama2.c layout (`<unk>`, `<s>`, `</s>`, the byte tokens `<0x00>`..`<0xFF>`, the characters seen at least
 * `minCharCount` times, then the merged pieces; a real space stands for `▁`; a piece's score is minus its
 * merge rank, so earlier merges apply first). Rarer characters are spelled by the byte fallback. Ties
 * break by the pair's text, so the result is deterministic.
 *
 * @example
 * ```ts
 * const tok = trainBpe(['xin chào', 'chào bạn'], { vocabSize: 300 });
 * tok.pieces.includes(' chào'); // true
 * ```
 */
export function trainBpe(texts: readonly string[], options: TrainBpeOptions): Llama2cTokenizer {
  const { vocabSize, minCharCount = 2, requiredChars = [] } = options;
  const wordCounts = new Map<string, number>();
  const charCounts = new Map<string, number>();
  for (const text of texts) {
    for (const word of wordsOf(text)) {
      wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
      for (const ch of word) charCounts.set(ch, (charCounts.get(ch) ?? 0) + 1);
    }
  }
  const chars = [...charCounts]
    .filter(([, n]) => n >= minCharCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([ch]) => ch);
  for (const ch of requiredChars) if (!chars.includes(ch)) chars.push(ch);
  const known = new Set(chars);
  const pieces: string[] = [...SPECIAL_PIECES];
  for (let b = 0; b < 256; b++) pieces.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
  pieces.push(...chars);

  // Each word as its symbols; a character outside the vocabulary is null and never merges.
  const words = [...wordCounts].map(([word, count]) => ({
    symbols: Array.from(word, (ch) => (known.has(ch) ? ch : null)) as (string | null)[],
    count,
  }));
  const merged: string[] = [];
  const vocab = new Set(pieces);
  while (pieces.length + merged.length < vocabSize) {
    const pairs = new Map<string, number>();
    for (const { symbols, count } of words) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const a = symbols[i];
        const b = symbols[i + 1];
        if (a === null || b === null || a === undefined || b === undefined) continue;
        const key = `${a}\u0000${b}`;
        pairs.set(key, (pairs.get(key) ?? 0) + count);
      }
    }
    let best: string | null = null;
    let bestCount = 1; // a pair seen once is not worth a token
    for (const [key, n] of pairs) {
      if (n > bestCount || (n === bestCount && best !== null && key < best)) {
        best = key;
        bestCount = n;
      }
    }
    if (best === null) break;
    const [a, b] = best.split('\u0000') as [string, string];
    const piece = a + b;
    for (const w of words) {
      const s = w.symbols;
      for (let i = 0; i + 1 < s.length; i++) {
        if (s[i] === a && s[i + 1] === b) s.splice(i, 2, piece);
      }
    }
    if (!vocab.has(piece)) {
      vocab.add(piece);
      merged.push(piece);
    }
  }
  pieces.push(...merged);
  const firstMerged = pieces.length - merged.length;
  return {
    maxTokenLength: Math.max(...pieces.map((p) => new TextEncoder().encode(p).length)),
    pieces: pieces.map((p) => p.replaceAll(SPACE_MARKER, ' ')),
    // Characters and special/byte tokens score 0; merged pieces −rank (higher merges earlier).
    scores: pieces.map((_, id) => (id < firstMerged ? 0 : -(id - firstMerged + 1))),
  };
}

/**
 * The Hugging Face `tokenizer.json` and `tokenizer_config.json` of a vocabulary {@link trainBpe} made:
 * the Llama layout (BPE with byte fallback, `▁` for spaces, BOS added), as the llama2.c converter writes it.
 *
 * @example
 * ```ts
 * const { tokenizerJson, tokenizerConfig } = bpeTokenizerFiles(trainBpe(texts, { vocabSize: 3072 }), 128);
 * ```
 */
export function bpeTokenizerFiles(
  tokenizer: Llama2cTokenizer,
  modelMaxLength: number,
): { tokenizerJson: Record<string, unknown>; tokenizerConfig: Record<string, unknown> } {
  return llama2cTokenizerToHf(tokenizer, modelMaxLength, 'trained vocabulary');
}
