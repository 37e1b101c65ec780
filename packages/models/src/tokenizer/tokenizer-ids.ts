import { TokenizerError } from './tokenizer-error.js';

/** The largest token id accepted in a `tokenizer.json` (the bound on `vocab_size` too). */
export const MAX_TOKEN_ID = (1 << 22) - 1;

/**
 * Checks the ids a `tokenizer.json` declares before the tokenizer library sees them: every value of a
 * `model.vocab` map and every `added_tokens[i].id` must be an integer in `0..MAX_TOKEN_ID`, and every added
 * token's `content` a string. (The library sizes tables by the largest id: an id of 2^31 would make it
 * loop for minutes.) Throws a {@link TokenizerError} `TOKENIZER_INVALID` naming the file and the entry.
 *
 * @example
 * ```ts
 * checkTokenizerIds({ model: { vocab: { a: 2 ** 31 } } }); // throws: model.vocab["a"]
 * ```
 */
export function checkTokenizerIds(json: Record<string, unknown>, file = 'tokenizer.json'): void {
  const bad = (where: string, value: unknown, what = `an integer id in 0..${MAX_TOKEN_ID}`) =>
    new TokenizerError(
      'TOKENIZER_INVALID',
      `${file}: ${where} = ${(JSON.stringify(value) ?? String(value)).slice(0, 80)} must be ${what}.`,
    );
  const isId = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_TOKEN_ID;
  const model = json.model as Record<string, unknown>;
  const vocab = model.vocab;
  if (vocab !== undefined && vocab !== null && typeof vocab === 'object' && !Array.isArray(vocab)) {
    for (const [token, id] of Object.entries(vocab)) {
      if (!isId(id)) throw bad(`model.vocab[${JSON.stringify(token).slice(0, 40)}]`, id);
    }
  }
  const added = json.added_tokens;
  if (added === undefined || added === null) return;
  if (!Array.isArray(added)) throw bad('added_tokens', added, 'a list');
  for (let i = 0; i < added.length; i++) {
    const t: unknown = added[i];
    const entry = t as { id?: unknown; content?: unknown } | null;
    if (typeof entry !== 'object' || entry === null) throw bad(`added_tokens[${i}]`, t, 'an object');
    if (!isId(entry.id)) throw bad(`added_tokens[${i}].id`, entry.id);
    if (typeof entry.content !== 'string') throw bad(`added_tokens[${i}].content`, entry.content, 'a string');
  }
}
