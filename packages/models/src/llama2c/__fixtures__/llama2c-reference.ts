/**
 * Test oracle: llama2.c's own tokenizer (`encode` and `decode` + `safe_printf` from run.c), ported line
 * by line. It works on bytes (each piece held as a Latin-1 string of its UTF-8 bytes), like the C code.
 */

export interface ReferenceVocab {
  pieces: string[]; // raw bytes as Latin-1 strings
  scores: number[];
  lookup: Map<string, number>;
}

export function referenceVocab(tokenizerBin: Uint8Array): ReferenceVocab {
  const view = new DataView(tokenizerBin.buffer, tokenizerBin.byteOffset, tokenizerBin.byteLength);
  const pieces: string[] = [];
  const scores: number[] = [];
  for (let offset = 4; offset < tokenizerBin.length; ) {
    scores.push(view.getFloat32(offset, true));
    const length = view.getInt32(offset + 4, true);
    pieces.push(latin1(tokenizerBin.subarray(offset + 8, offset + 8 + length)));
    offset += 8 + length;
  }
  // run.c's str_lookup is a binary search over the sorted vocabulary; pieces are unique, so a map is the same.
  return { pieces, scores, lookup: new Map(pieces.map((piece, id) => [piece, id])) };
}

function latin1(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (b) => String.fromCharCode(b)).join('');
}

/** run.c `encode(t, text, bos, eos, tokens, &n)`. */
export function referenceEncode(vocab: ReferenceVocab, text: string, bos: boolean, eos: boolean): number[] {
  const bytes = new TextEncoder().encode(text);
  const tokens: number[] = [];
  if (bos) tokens.push(1);
  // add_dummy_prefix: a " " token, but only if text != ""
  if (bytes.length > 0) tokens.push(vocab.lookup.get(' ') as number);

  // UTF-8 code point by code point: the code point's piece, else its bytes as byte tokens (+3)
  let buffer: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if ((c & 0xc0) !== 0x80) buffer = []; // not a continuation byte: a new code point starts
    buffer.push(c);
    const next = i + 1 < bytes.length ? (bytes[i + 1] as number) : 0; // C's terminating '\0'
    if ((next & 0xc0) === 0x80 && buffer.length < 4) continue;
    const id = vocab.lookup.get(latin1(buffer));
    if (id !== undefined) tokens.push(id);
    else for (const b of buffer) tokens.push(b + 3);
    buffer = [];
  }

  // merge the best consecutive pair each iteration, according to the scores
  for (;;) {
    let bestScore = -1e10;
    let bestId = -1;
    let bestIndex = -1;
    for (let i = 0; i < tokens.length - 1; i++) {
      const id = vocab.lookup.get(`${vocab.pieces[tokens[i] as number]}${vocab.pieces[tokens[i + 1] as number]}`);
      if (id !== undefined && (vocab.scores[id] as number) > bestScore) {
        bestScore = vocab.scores[id] as number;
        bestId = id;
        bestIndex = i;
      }
    }
    if (bestIndex === -1) break;
    tokens.splice(bestIndex, 2, bestId);
  }
  if (eos) tokens.push(2);
  return tokens;
}

/**
 * What run.c's generate loop prints for `ids` following BOS: `decode(prev, token)` (drops the leading
 * space after BOS, maps `<0xXX>` to its byte) then `safe_printf` (skips a lone unprintable byte).
 * Returns the printed bytes decoded as UTF-8.
 */
export function referencePrint(vocab: ReferenceVocab, ids: number[]): string {
  const out: number[] = [];
  let previous = 1;
  for (const id of ids) {
    let piece = vocab.pieces[id] as string;
    if (previous === 1 && piece.startsWith(' ')) piece = piece.slice(1);
    const byte = /^<0x([0-9A-F]{2})>$/.exec(piece);
    if (byte) piece = String.fromCharCode(Number.parseInt(byte[1] as string, 16));
    previous = id;
    if (piece.length === 0) continue;
    if (piece.length === 1) {
      const b = piece.charCodeAt(0);
      const printable = (b >= 0x20 && b <= 0x7e) || (b >= 0x09 && b <= 0x0d); // C locale isprint || isspace
      if (!printable) continue;
    }
    for (const ch of piece) out.push(ch.charCodeAt(0));
  }
  return new TextDecoder().decode(new Uint8Array(out));
}
