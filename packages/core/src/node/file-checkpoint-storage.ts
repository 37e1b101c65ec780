/// <reference types="node" />
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FileSystemError } from '../errors/file-system-error.js';
import { CheckpointError } from '../trainer/checkpoint-error.js';
import type { CheckpointFiles, CheckpointStorage } from '../trainer/checkpoint-storage.js';
import { removeOrphanedTemporaries, temporaryName } from './orphaned-temporaries.js';
import { acquireRunLock, type RunLock } from './run-lock.js';

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
 * Temporary names carry the writer's pid ({@link temporaryName}); {@link FileCheckpointStorage.prepare}
 * removes those a killed run left. File-system failures are {@link FileSystemError}s naming the path.
 *
 * @example
 * ```ts
 * import { FileCheckpointStorage } from '@rlhf/core/node';
 * const trainer = new SFTTrainer({ checkpoint_storage: new FileCheckpointStorage('runs/sft'), save_steps: 100 });
 * ```
 */
export class FileCheckpointStorage implements CheckpointStorage {
  /** Stores checkpoints as sub-folders of `directory` (created on the first save). */
  constructor(
    /** The directory that holds the checkpoints. */
    readonly directory: string,
  ) {}

  get location(): string {
    return this.directory;
  }

  /**
   * Checks the directory before a run writes to it (not a file, writable when it exists) and removes the
   * temporaries of killed runs (restoring a checkpoint moved aside when its replacement never arrived).
   * Returns the names cleaned up.
   */
  async prepare(): Promise<string[]> {
    await this.checkDirectory();
    return this.at('clean up', this.directory, () => removeOrphanedTemporaries(this.directory));
  }

  /**
   * Creates the directory if needed and locks it for one run ({@link acquireRunLock}: a second run into it
   * fails at once; a lock this process already holds is shared). Release it when the run ends.
   */
  async lock(command: string): Promise<RunLock> {
    await this.checkDirectory();
    await this.at('create', this.directory, () => mkdir(this.directory, { recursive: true }));
    return acquireRunLock(this.directory, command);
  }

  /** The directory is one, or does not exist yet (anything else is a `FileSystemError`, e.g. ENOTDIR). */
  private async checkDirectory(): Promise<void> {
    try {
      if (!(await stat(this.directory)).isDirectory())
        throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw FileSystemError.from(error, this.directory, 'use as checkpoint directory', 'preparing checkpoints');
    }
  }

  async write(name: string, files: CheckpointFiles): Promise<void> {
    if (!/^[\w.-]+$/.test(name) || name.startsWith('.'))
      throw new CheckpointError(name, 'is not a valid checkpoint name');
    await this.at('create directory', this.directory, () => mkdir(this.directory, { recursive: true }));
    const tag = randomBytes(4).toString('hex');
    const final = join(this.directory, name);
    const staging = join(this.directory, temporaryName(name, 'tmp', tag));
    try {
      await this.at('create directory', staging, () => mkdir(staging));
      for (const [file, bytes] of files) {
        const path = join(staging, file);
        await this.at('write', path, () => writeFile(path, bytes));
      }
      await writePause(name);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
    let aside: string | null = null;
    if (await exists(final)) {
      aside = join(this.directory, temporaryName(name, 'old', tag));
      await this.at('rename', final, () => rename(final, aside as string));
    }
    try {
      await this.at('rename', staging, () => rename(staging, final));
    } catch (error) {
      if (aside) await rename(aside, final);
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
    if (aside) await rm(aside, { recursive: true, force: true });
  }

  /** Deletes a checkpoint (`save_total_limit`): moved aside under a temporary name first, then removed. */
  async remove(name: string): Promise<void> {
    if (!/^[\w.-]+$/.test(name) || name.startsWith('.'))
      throw new CheckpointError(name, 'is not a valid checkpoint name');
    const final = join(this.directory, name);
    if (!(await exists(final))) return;
    const doomed = join(this.directory, temporaryName(name, 'tmp', randomBytes(4).toString('hex')));
    await this.at('rename', final, () => rename(final, doomed));
    await this.at('remove', doomed, () => rm(doomed, { recursive: true, force: true }));
  }

  private async at<T>(operation: string, path: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw FileSystemError.from(error, path, operation, 'writing a checkpoint');
    }
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
    const dir = found;
    try {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (entry.isFile()) out.set(entry.name, new Uint8Array(await readFile(join(dir, entry.name))));
      }
    } catch (error) {
      throw FileSystemError.from(error, dir, 'read', 'reading a checkpoint');
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

/**
 * A test hook: with `RLHF_TEST_CHECKPOINT_PAUSE_MS` set, every checkpoint write says so on stderr and waits
 * that long after its files are written and before it is renamed into place, so that a test can kill a
 * run inside that window (the kill test of `rlhf pipeline`). Unset, it does nothing.
 */
async function writePause(name: string): Promise<void> {
  const ms = Number(process.env.RLHF_TEST_CHECKPOINT_PAUSE_MS ?? 0);
  if (!(ms > 0)) return;
  process.stderr.write(`[test] checkpoint write pending: ${name}\n`);
  await new Promise((done) => setTimeout(done, ms));
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
