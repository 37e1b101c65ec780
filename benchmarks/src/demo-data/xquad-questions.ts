import { readFileSync } from 'node:fs';

/** One question of XQuAD with its first reference answer. */
export interface XquadQuestion {
  /** SQuAD id of the question (the same in every XQuAD language). */
  id: string;
  /** Title of the Wikipedia article the paragraph is from. */
  title: string;
  question: string;
  answer: string;
}

interface SquadFile {
  data: { title: string; paragraphs: { qas: { id: string; question: string; answers: { text: string }[] }[] }[] }[];
}

/**
 * Reads a SQuAD-format file (XQuAD) into its questions, in file order, text NFC-normalised and trimmed.
 *
 * @example
 * ```ts
 * const questions = readXquadQuestions('data/datasets/xquad-vi/xquad.vi.json'); // 1,190
 * ```
 */
export function readXquadQuestions(path: string): XquadQuestion[] {
  const file = JSON.parse(readFileSync(path, 'utf8')) as SquadFile;
  return file.data.flatMap((article) =>
    article.paragraphs.flatMap((p) =>
      p.qas.map((qa) => ({
        id: qa.id,
        title: article.title,
        question: qa.question.normalize('NFC').trim().replace(/\s+/g, ' '),
        answer: (qa.answers[0]?.text ?? '').normalize('NFC').trim().replace(/\s+/g, ' '),
      })),
    ),
  );
}
