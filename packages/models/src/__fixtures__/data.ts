/** Test-only access to the repository's own data/ folder (resolved from this file, never ../shared). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DATA_DIR = fileURLToPath(new URL('../../../../data/', import.meta.url));

export function readData(path: string): Uint8Array {
  return new Uint8Array(readFileSync(`${DATA_DIR}${path}`));
}

export function readDataText(path: string): string {
  return readFileSync(`${DATA_DIR}${path}`, 'utf8');
}
