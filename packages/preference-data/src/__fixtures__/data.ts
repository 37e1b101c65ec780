/** Test-only access to the repository's own data/ folder (resolved from this file, never ../shared). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { convertLlama2c, Tokenizer } from '@rlhf/models';

export const DATA_DIR = fileURLToPath(new URL('../../../../data/', import.meta.url));

/** stories260K's tokenizer (converted from llama2.c's tok512.bin). */
export function stories260KTokenizer(): Tokenizer {
  const c = convertLlama2c(
    readFileSync(`${DATA_DIR}models/stories260K/stories260K.bin`),
    readFileSync(`${DATA_DIR}models/stories260K/tok512.bin`),
  );
  return Tokenizer.fromJSON(c.tokenizerJson, c.tokenizerConfig);
}

/** The phi-3-mini tokenizer (32k vocabulary, with a chat template). */
export function phi3Tokenizer(): Tokenizer {
  const dir = `${DATA_DIR}tokenizers/phi-3-mini/`;
  return Tokenizer.fromJSON(
    JSON.parse(readFileSync(`${dir}tokenizer.json`, 'utf8')),
    JSON.parse(readFileSync(`${dir}tokenizer_config.json`, 'utf8')),
  );
}

/** LLaMA-Factory's dpo_en_demo.json (300 ShareGPT-style pairs). */
export function dpoEnDemo(): unknown[] {
  return JSON.parse(readFileSync(`${DATA_DIR}datasets/llamafactory/dpo_en_demo.json`, 'utf8')) as unknown[];
}

/** The first `n` HH-RLHF harmless-base test records. */
export function hhRlhf(n = Number.POSITIVE_INFINITY): unknown[] {
  const text = gunzipSync(readFileSync(`${DATA_DIR}datasets/hh-rlhf/harmless-base_test.jsonl.gz`)).toString('utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, n)
    .map((l) => JSON.parse(l) as unknown);
}
