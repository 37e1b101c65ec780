/**
 * The Vietnamese text the repository bundles, as plain sentences for pretraining the demo's model:
 * Universal Dependencies Vietnamese-VTB (one tokenised sentence a line, CC BY-SA 4.0) and the XQuAD
 * Vietnamese contexts, questions and answers (CC BY-SA 4.0). Deterministic; no file access here (the
 * scripts read the files and pass their text).
 */

/** One XQuAD paragraph: its context and its question/answer pairs. */
export interface XquadParagraph {
  /** Index of the paragraph in file order (0..239 for XQuAD). */
  index: number;
  /** The context, NFC-normalised, whitespace collapsed. */
  context: string;
  /** The questions with their first reference answer, NFC-normalised, whitespace collapsed. */
  qas: { id: string; question: string; answer: string }[];
}

/** The pretraining text, split into training and held-out sentences. */
export interface ViCorpus {
  /** Training sentences. */
  train: string[];
  /** Held-out sentences (validation loss and the tokenizer's round-trip test). */
  val: string[];
}

/** Every tenth XQuAD paragraph (index % 10 === 9) is held out of pretraining and of the demo's training. */
export const HELD_OUT_PARAGRAPH = (index: number): boolean => index % 10 === 9;

/** NFC, every run of whitespace one space, trimmed. */
export function cleanText(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/**
 * Undoes the treebank's tokenisation (a space on both sides of punctuation): no space before `, . ; : ! ? ) ] …`
 * nor after `( [`. Quotes are left as they are (their side is ambiguous).
 *
 * @example
 * ```ts
 * detokenise('Hiện nay xã có 68 tổ , mỗi tổ 40 gia đình .'); // 'Hiện nay xã có 68 tổ, mỗi tổ 40 gia đình.'
 * ```
 */
export function detokenise(line: string): string {
  return cleanText(line)
    .replace(/ ([,.;:!?)\]…%])/g, '$1')
    .replace(/([([]) /g, '$1');
}

/** The sentences of a UD-VTB text file (one sentence a line), detokenised; empty lines dropped. */
export function udSentences(text: string): string[] {
  return text
    .split('\n')
    .map(detokenise)
    .filter((s) => s.length > 0);
}

/**
 * Splits a paragraph into sentences after `.`, `!` or `?` followed by a space and an upper-case letter,
 * a digit or an opening quote.
 */
export function splitSentences(paragraph: string): string[] {
  return cleanText(paragraph)
    .split(/(?<=[.!?])\s+(?=[\p{Lu}\d"“(])/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The paragraphs of an XQuAD (SQuAD-format) JSON file. */
export function xquadParagraphs(json: unknown): XquadParagraph[] {
  const data = (json as { data: { paragraphs: { context: string; qas: unknown[] }[] }[] }).data;
  const out: XquadParagraph[] = [];
  for (const article of data) {
    for (const p of article.paragraphs) {
      const qas = (p.qas as { id: string; question: string; answers: { text: string }[] }[]).map((q) => ({
        id: q.id,
        question: cleanText(q.question),
        answer: cleanText(q.answers[0]?.text ?? ''),
      }));
      out.push({ index: out.length, context: cleanText(p.context), qas });
    }
  }
  return out;
}

/**
 * The pretraining corpus: UD-VTB train and dev sentences and the sentences, questions and answers of the
 * XQuAD paragraphs kept for training go to `train`; UD-VTB test and the held-out XQuAD paragraphs
 * ({@link HELD_OUT_PARAGRAPH}) to `val`. Answers shorter than three words are dropped (they are fragments
 * of their context). Exact duplicates are removed (first occurrence kept; a held-out sentence that also
 * occurs in training is dropped from `val`).
 */
export function viCorpus(
  ud: { train: string; dev: string; test: string },
  paragraphs: readonly XquadParagraph[],
): ViCorpus {
  const train: string[] = [...udSentences(ud.train), ...udSentences(ud.dev)];
  const val: string[] = udSentences(ud.test);
  for (const p of paragraphs) {
    const texts = [
      ...splitSentences(p.context),
      ...p.qas.map((q) => q.question),
      ...p.qas.map((q) => q.answer).filter((a) => a.split(' ').length >= 3),
    ];
    (HELD_OUT_PARAGRAPH(p.index) ? val : train).push(...texts);
  }
  const seen = new Set<string>();
  const unique = (list: string[]) =>
    list.filter((s) => {
      if (seen.has(s)) return false;
      seen.add(s);
      return true;
    });
  const trainUnique = unique(train);
  return { train: trainUnique, val: unique(val) };
}
