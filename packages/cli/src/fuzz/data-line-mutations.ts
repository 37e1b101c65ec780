import { mutateJson, NASTY_VALUES, type RandomSource } from '@rlhf/models/testing';

const int = (random: RandomSource, n: number) => Math.floor(random() * n);
const pick = <T>(random: RandomSource, items: readonly T[]): T => items[int(random, items.length)] as T;

const SFT_RECORDS: readonly Record<string, unknown>[] = [
  { prompt: 'Once upon a time', completion: ' there was a cat.' },
  { text: 'The dog ran to the park.' },
  {
    messages: [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
    ],
  },
  { prompt: [{ role: 'user', content: 'Tell a story' }], completion: [{ role: 'assistant', content: 'Once.' }] },
  { input_ids: [1, 403, 407, 261], labels: [-100, 403, 407, 261] },
];

const DPO_RECORDS: readonly Record<string, unknown>[] = [
  { prompt: 'Once upon a time', chosen: ' a cat sat.', rejected: ' a dog ran.' },
  {
    prompt: [{ role: 'user', content: 'Hi' }],
    chosen: [{ role: 'assistant', content: 'Hello!' }],
    rejected: [{ role: 'assistant', content: 'Go away.' }],
  },
  { chosen: '\n\nHuman: Hi\n\nAssistant: Hello!', rejected: '\n\nHuman: Hi\n\nAssistant: No.' },
];

/** One line of a data file: a (maybe mutated) record as JSON, or a broken line. */
function line(random: RandomSource, bases: readonly Record<string, unknown>[]): string {
  const record = pick(random, bases);
  switch (int(random, 12)) {
    case 0:
      return JSON.stringify(record).slice(0, int(random, 40)); // cut
    case 1:
      return `${'['.repeat(100_000)}${']'.repeat(100_000)}`; // deep nesting
    case 2:
      return JSON.stringify({ ...record, prompt: 'x '.repeat(2_000) }); // a long record
    case 3:
      return pick(random, ['', '   ', 'null', '42', '"text"', '[]', '{}', 'NaN', '{"prompt": 1e999}', '\ufeff{}']);
    case 4:
      return JSON.stringify(pick(random, NASTY_VALUES) ?? null);
    case 5:
    case 6:
    case 7:
    case 8:
      return JSON.stringify(mutateJson(random, record, Object.keys(record))) ?? 'null';
    default:
      return JSON.stringify(record);
  }
}

/** Bytes of a JSONL data file of 1–5 lines, sometimes with invalid UTF-8, CRLF line ends or a BOM. */
function fileOf(random: RandomSource, bases: readonly Record<string, unknown>[]): Uint8Array {
  const lines = Array.from({ length: 1 + int(random, 5) }, () => line(random, bases));
  const text = lines.join(random() < 0.2 ? '\r\n' : '\n');
  const bytes = new TextEncoder().encode(random() < 0.1 ? `\ufeff${text}` : text);
  if (random() < 0.15 && bytes.length) {
    const copy = bytes.slice();
    copy[int(random, copy.length)] = pick(random, [0xff, 0xc3, 0x80, 0xed]);
    return copy;
  }
  return bytes;
}

/** A seeded SFT data file (prompt/completion, text, messages, tokenised records). */
export function sftLinesCase(random: RandomSource): Uint8Array {
  return fileOf(random, SFT_RECORDS);
}

/** A seeded preference data file (prompt/chosen/rejected as text or messages, HH-RLHF style). */
export function dpoLinesCase(random: RandomSource): Uint8Array {
  return fileOf(random, DPO_RECORDS);
}
