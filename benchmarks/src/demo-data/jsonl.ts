import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writes a file atomically (aside, then renamed), creating its folder. */
function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/**
 * Writes records as JSON Lines (one JSON object a line, `\n` after each).
 *
 * @example
 * ```ts
 * writeJsonl('data/demo/en/sft.jsonl', [{ prompt: 'Sue had a ball.', completion: ' She was happy.' }]);
 * ```
 */
export function writeJsonl(path: string, records: readonly unknown[]): void {
  writeAtomically(path, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

/** Writes a value as pretty-printed JSON with a final newline. */
export function writeJson(path: string, value: unknown): void {
  writeAtomically(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Reads a JSON Lines file (blank lines skipped). */
export function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** Reads a JSON file. */
export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
