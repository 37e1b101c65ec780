/// <reference types="node" />
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { processAlive } from './run-lock.js';

/**
 * How our temporary entries are named: `.<final name>.tmp-<pid>-<hex>` (being written) and
 * `.<final name>.old-<pid>-<hex>` (an earlier copy moved aside while the new one is renamed into place).
 */
const TEMPORARY = /^\.(.+)\.(tmp|old)-(\d+)-[0-9a-f]+$/;

/**
 * The name of a temporary entry for `finalName`, marked with this process id so that a later run can
 * tell an orphan (its process is gone) from one being written.
 *
 * @example
 * ```ts
 * temporaryName('checkpoint-5', 'tmp', 'ab12cd34'); // '.checkpoint-5.tmp-4242-ab12cd34'
 * ```
 */
export function temporaryName(finalName: string, kind: 'tmp' | 'old', tag: string): string {
  return `.${finalName}.${kind}-${process.pid}-${tag}`;
}

/**
 * Removes the temporary entries a killed run left in `dir` (only names {@link temporaryName} makes, and
 * only when their process is no longer alive). An `.old-` copy whose final entry is missing (the run was
 * killed between moving the old copy aside and renaming the new one in) is renamed back instead. Returns
 * the names removed or restored. A missing `dir` has none.
 *
 * @example
 * ```ts
 * await removeOrphanedTemporaries('runs/sft'); // ['.checkpoint-10.tmp-4242-ab12cd34']
 * ```
 */
export async function removeOrphanedTemporaries(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  const done: string[] = [];
  for (const entry of entries) {
    const m = TEMPORARY.exec(entry);
    if (!m || processAlive(Number(m[3]))) continue;
    const final = join(dir, m[1] as string);
    if (m[2] === 'old' && !(await exists(final))) await rename(join(dir, entry), final);
    else await rm(join(dir, entry), { recursive: true, force: true });
    done.push(entry);
  }
  return done;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
