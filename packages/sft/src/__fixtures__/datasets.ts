import { readFileSync } from 'node:fs';
import type { PromptCompletionRecord } from '../data/sft-record.js';
import { DATA_DIR } from './models.js';

/**
 * LLaMA-Factory's alpaca_en_demo.json (999 records {instruction, input, output}) as prompt-completion
 * records with the Alpaca prompt template.
 */
export function alpacaRecords(): PromptCompletionRecord[] {
  const raw = JSON.parse(readFileSync(`${DATA_DIR}datasets/llamafactory/alpaca_en_demo.json`, 'utf8')) as {
    instruction: string;
    input: string;
    output: string;
  }[];
  return raw.map((r) => ({
    prompt: `### Instruction:\n${r.instruction}${r.input ? `\n\n### Input:\n${r.input}` : ''}\n\n### Response:\n`,
    completion: r.output,
  }));
}

/**
 * Vietnamese question answering from XQuAD (xquad.vi.json, 1,190 questions over 240 paragraphs): the
 * question (with `withContext`, preceded by the context sentence that holds the answer) as the prompt and
 * the answer as the completion. Records keep their paragraph index, so a split by paragraph holds out
 * unseen contexts. (stories260K's 512-token vocabulary spells Vietnamese almost byte by byte: a context
 * sentence is ~250 tokens, a question ~60.)
 */
export function xquadViRecords(withContext = false): (PromptCompletionRecord & { paragraph: number })[] {
  const raw = JSON.parse(readFileSync(`${DATA_DIR}datasets/xquad-vi/xquad.vi.json`, 'utf8')) as {
    data: {
      paragraphs: { context: string; qas: { question: string; answers: { text: string; answer_start: number }[] }[] }[];
    }[];
  };
  const out: (PromptCompletionRecord & { paragraph: number })[] = [];
  let paragraph = 0;
  for (const article of raw.data) {
    for (const p of article.paragraphs) {
      for (const qa of p.qas) {
        const answer = qa.answers[0];
        if (!answer) continue;
        const context = withContext ? `Ngữ cảnh: ${sentenceAround(p.context, answer.answer_start)}\n` : '';
        out.push({ prompt: `${context}Câu hỏi: ${qa.question}\nTrả lời:`, completion: ` ${answer.text}`, paragraph });
      }
      paragraph++;
    }
  }
  return out;
}

/** The sentence of `text` that contains character `at` (split at '. '). */
function sentenceAround(text: string, at: number): string {
  const start = text.lastIndexOf('. ', at);
  const end = text.indexOf('. ', at);
  return text.slice(start < 0 ? 0 : start + 2, end < 0 ? text.length : end + 1).trim();
}
