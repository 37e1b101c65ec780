/// <reference types="node" />
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CheckpointError } from '../trainer/checkpoint-error.js';
import type { CheckpointFiles, CheckpointStorage } from '../trainer/checkpoint-storage.js';

const STATE_FILE = 'trainer_state.json';

async function isCheckpointDir(path: string): Promise<boolean> {
  try {
    return (await stat(join(path, STATE_FILE))).isFile();
  } catch {
    return false;
  }
}

/**
 * Checkpoints as directories under `directory` (`<directory>/checkpoint-<step>/`), what `output_dir` gives
 * in Node. A checkpoint is written into a hidden temporary directory beside its final place and renamed
 * into place only when every file is written; one of the same name is moved aside first and removed only
 * after the rename succeeded. So a crash or a failed write never leaves a partial checkpoint under a
 * checkpoint name and never loses an earlier one. The directory is created on the first write only.
 *
 * @example
 * ```ts
 * import { FileCheckpointStorage } from '@rlhf/core/node';
 * const trainer = new SFTTrainer({ checkpoint_storage: new FileCheckpointStorage('runs/sft'), save_steps: 100 });
 * ```
 */
export class FileCheckpointStorage implements CheckpointStorage {
  constructor(
    /** The directory that holds the checkpoints. */
    readonly directory: string,
  ) {}

  get location(): string {
    return this.directory;
  }

  async write(name: string, files: CheckpointFiles): Promise<void> {
    if (!/^[\w.-]+$/.test(name) || name.startsWith('.'))
      throw new CheckpointError(name, 'is not a valid checkpoint name');
    await mkdir(this.directory, { recursive: true });
    const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
    const final = join(this.directory, name);
    const staging = join(this.directory, `.${name}.tmp-${tag}`);
    try {
      await mkdir(staging);
      for (const [file, bytes] of files) await writeFile(join(staging, file), bytes);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
    let aside: string | null = null;
    if (await exists(final)) {
      aside = join(this.directory, `.${name}.old-${tag}`);
      await rename(final, aside);
    }
    try {
      await rename(staging, final);
    } catch (error) {
      if (aside) await rename(aside, final);
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
    if (aside) await rm(aside, { recursive: true, force: true });
  }

  /**
   * Reads a checkpoint by name under {@link FileCheckpointStorage.directory} (`'checkpoint-500'`), or by a
   * path relative to the working directory (or absolute).
   */
  async read(name: string): Promise<Map<string, Uint8Array>> {
    const candidates = [join(this.directory, name), resolve(name)];
    let found: string | undefined;
    for (const c of candidates) {
      if (await isCheckpointDir(c)) {
        found = c;
        break;
      }
    }
    if (!found)
      throw new CheckpointError(
        name,
        `does not exist (looked for ${STATE_FILE} in ${[...new Set(candidates)].join(' and ')})`,
      );
    const out = new Map<string, Uint8Array>();
    for (const entry of await readdir(found, { withFileTypes: true })) {
      if (entry.isFile()) out.set(entry.name, new Uint8Array(await readFile(join(found, entry.name))));
    }
    return out;
  }

  async list(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await readdir(this.directory);
    } catch {
      return [];
    }
    const out: string[] = [];
    for (const e of entries) if (!e.startsWith('.') && (await isCheckpointDir(join(this.directory, e)))) out.push(e);
    return out;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
