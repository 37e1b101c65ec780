import { Llama2cFormatError } from './llama2c-error.js';
import type { Llama2cTokenizer } from './read-tokenizer.js';

/** Sentencepiece's space marker (U+2581); llama2.c stores pieces with a real space instead. */
const SPACE_MARKER = '\u2581';
const SPECIAL_PIECES = ['<unk>', '<s>', '</s>'] as const;
const BYTE_TOKENS_START = 3;
const FIRST_PIECE = BYTE_TOKENS_START + 256;

/** An added special token as `tokenizer_config.json`'s `added_tokens_decoder` writes it. */
const specialToken = (content: string) => ({
  content,
  lstrip: false,
  normalized: false,
  rstrip: false,
  single_word: false,
  special: true,
});

/**
 * Turns a llama2.c tokenizer (sentencepiece BPE exported by llama2.c: `<unk>`, `<s>`, `</s>` at 0–2, the
 * byte-fallback tokens `<0x00>`..`<0xFF>` at 3–258, then pieces with a real space) into the
 * `tokenizer.json` and `tokenizer_config.json` Hugging Face's Llama conversion writes: a BPE model with
 * byte fallback, `▁` for spaces, a dummy-prefix normaliser (prepend `▁`, spaces → `▁`), merges derived
 * from the vocabulary ordered by the merged piece's score (as `SentencePieceExtractor` does), a decoder
 * that undoes all of it, and a post-processor adding BOS. With `@huggingface/tokenizers` it gives the
 * same ids as llama2.c's own `encode`.
 *
 * @param modelMaxLength - `model_max_length` for the config (the checkpoint's `seq_len`)
 *
 * @example
 * ```ts
 * const { tokenizerJson, tokenizerConfig } = llama2cTokenizerToHf(readLlama2cTokenizer(bytes), 512);
 * ```
 */
export function llama2cTokenizerToHf(
  tokenizer: Llama2cTokenizer,
  modelMaxLength: number,
  fileName = 'tokenizer.bin',
): {
  /** The content of `tokenizer.json`. */
  tokenizerJson: Record<string, unknown>;
  /** The content of `tokenizer_config.json`. */
  tokenizerConfig: Record<string, unknown>;
} {
  const { pieces, scores } = tokenizer;
  const fail = (detail: string): never => {
    throw new Llama2cFormatError('LLAMA2C_TOKENIZER', fileName, detail);
  };
  if (pieces.length < FIRST_PIECE)
    fail(`${pieces.length} tokens; a sentencepiece byte-fallback vocabulary has at least ${FIRST_PIECE}`);
  for (let byte = 0; byte < 256; byte++) {
    const expected = byteToken(byte);
    const id = BYTE_TOKENS_START + byte;
    if (pieces[id] !== expected)
      fail(`token ${id} is ${JSON.stringify(pieces[id])}, expected the byte token ${expected}`);
  }

  const vocab: Record<string, number> = {};
  const ids = new Map<string, number>();
  pieces.forEach((piece, id) => {
    const name = id < SPECIAL_PIECES.length ? (SPECIAL_PIECES[id] as string) : piece.replaceAll(' ', SPACE_MARKER);
    if (ids.has(name)) fail(`tokens ${ids.get(name)} and ${id} are both ${JSON.stringify(name)}`);
    ids.set(name, id);
    vocab[name] = id;
  });

  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_PIECES.map((content, id) => ({ id, ...specialToken(content) })),
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Prepend', prepend: SPACE_MARKER },
        { type: 'Replace', pattern: { String: ' ' }, content: SPACE_MARKER },
      ],
    },
    pre_tokenizer: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '<s>', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '<s>', type_id: 1 } },
        { Sequence: { id: 'B', type_id: 1 } },
      ],
      special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
    },
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: SPACE_MARKER }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        { type: 'Strip', content: ' ', start: 1, stop: 0 },
      ],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab,
      merges: mergesFromVocabulary(
        pieces.map((p) => p.replaceAll(' ', SPACE_MARKER)),
        scores,
      ),
    },
  };

  const tokenizerConfig = {
    add_bos_token: true,
    add_eos_token: false,
    added_tokens_decoder: Object.fromEntries(SPECIAL_PIECES.map((content, id) => [String(id), specialToken(content)])),
    bos_token: '<s>',
    clean_up_tokenization_spaces: false,
    eos_token: '</s>',
    legacy: true,
    model_max_length: modelMaxLength,
    pad_token: null,
    sp_model_kwargs: {},
    tokenizer_class: 'LlamaTokenizer',
    unk_token: '<unk>',
    use_default_system_prompt: false,
  };
  return { tokenizerJson, tokenizerConfig };
}

/**
 * BPE merges implied by a sentencepiece vocabulary, as `transformers`' `SentencePieceExtractor` derives
 * them: for every piece, each split (at code-point boundaries) into two pieces of the vocabulary is a
 * merge; a piece's splits are ordered by the ids of their halves; all merges are then ordered by the
 * merged piece's score, highest first (a stable sort, so equal scores keep vocabulary order). Special
 * and byte tokens (ids below 259) neither merge nor result from merges.
 *
 * @example
 * ```ts
 * mergesFromVocabulary(pieces, scores).slice(0, 2); // ['▁ t', 'h e'] for stories260K
 * ```
 */
export function mergesFromVocabulary(pieces: readonly string[], scores: readonly number[]): string[] {
  const ids = new Map<string, number>();
  for (let id = FIRST_PIECE; id < pieces.length; id++) ids.set(pieces[id] as string, id);
  const merges: { left: string; right: string; score: number }[] = [];
  for (let id = FIRST_PIECE; id < pieces.length; id++) {
    const chars = Array.from(pieces[id] as string);
    const local: { left: string; right: string; score: number; key: [number, number] }[] = [];
    for (let split = 1; split < chars.length; split++) {
      const left = chars.slice(0, split).join('');
      const right = chars.slice(split).join('');
      const leftId = ids.get(left);
      const rightId = ids.get(right);
      if (leftId !== undefined && rightId !== undefined) {
        local.push({ left, right, score: scores[id] as number, key: [leftId, rightId] });
      }
    }
    local.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1]);
    merges.push(...local);
  }
  merges.sort((a, b) => b.score - a.score);
  return merges.map(({ left, right }) => `${left} ${right}`);
}

function byteToken(byte: number): string {
  return `<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`;
}
