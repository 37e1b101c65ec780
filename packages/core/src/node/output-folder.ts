/// <reference types="node" />
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { FileSystemError } from '../errors/file-system-error.js';
import { RlhfError } from '../errors/rlhf-error.js';
import { removeOrphanedTemporaries, temporaryName } from './orphaned-temporaries.js';
import { acquireRunLock, holdsRunLock, LOCK_FILE, type RunLock } from './run-lock.js';

/** The manifest file that marks a folder as the output of one run. */
export const MANIFEST_FILE = '.rlhf-output.json';

/** The content of {@link MANIFEST_FILE}. */
export interface OutputManifest {
  /** What kind of output (`'sft'`, `'dpo'`, `'reward'`, `'pipeline'`, `'model'`, `'checkpoints'`). */
  kind: string;
  /** `'running'` while a run writes it (or after it was killed), `'finished'` once it completed. */
  status: 'running' | 'finished';
  /** ISO time the first run into the folder started. */
  created: string;
  /** ISO time of the last change of status. */
  updated: string;
  /** The command line or call of the last run. */
  command: string;
  /** SHA-256 of each input that a resumed run must share (normalised config, data files), by name. */
  fingerprint: Record<string, string>;
}

/**
 * An output folder cannot be used: it is a file, it is (or is inside, or contains) an input, it holds
 * another kind of output, or a finished or interrupted run that would be overwritten without
 * `overwrite`. Stable code: `OUTPUT_FOLDER_INVALID`.
 *
 * @example
 * ```ts
 * throw new OutputFolderError('runs/x', 'exists and is a file, not a folder');
 * ```
 */
export class OutputFolderError extends RlhfError {
  /** Builds the error from the folder and why it cannot be used as this run's output. */
  constructor(
    /** The folder. */
    readonly folder: string,
    reason: string,
  ) {
    super('OUTPUT_FOLDER_INVALID', `Output folder ${folder} ${reason}.`);
  }
}

/**
 * `resume` was asked for but the stored run used other inputs: the message names each input whose
 * SHA-256 differs. Stable code: `RESUME_MISMATCH`.
 *
 * @example
 * ```ts
 * throw new ResumeMismatchError('runs/x', ['config', 'sft_data (data/sft.jsonl)']);
 * ```
 */
export class ResumeMismatchError extends RlhfError {
  /** Builds the error from the run folder and the inputs that differ from the stored run's. */
  constructor(
    /** The run folder. */
    readonly folder: string,
    /** The inputs that differ. */
    readonly differences: string[],
  ) {
    super(
      'RESUME_MISMATCH',
      `Cannot resume the run in ${folder}: ${differences.join(', ')} ${differences.length === 1 ? 'differs' : 'differ'} from the stored run's (compared by SHA-256). Resume with the same config and data, or start a new run with --overwrite or another folder.`,
    );
  }
}

/** Options of {@link openOutputFolder}. */
export interface OpenOutputFolderOptions {
  /** The kind of output written (see {@link OutputManifest.kind}). */
  kind: string;
  /** Who writes it, for messages and the lock (`'rlhf sft --out runs/x'`). */
  command: string;
  /** Paths the run reads (model folder, data files): the output may be neither one, inside one, nor hold one. */
  inputs?: readonly string[];
  /** Replace a finished or interrupted run's outputs (everything in the folder is removed first). */
  overwrite?: boolean;
  /** Continue the run stored in the folder (its fingerprint must match). */
  resume?: boolean;
  /** SHA-256 of each input a resumed run must share (stored in the manifest, compared on `resume`). */
  fingerprint?: Record<string, string>;
}

/** An output folder opened for one run: validated, locked and marked `running`. */
export interface OutputFolder {
  /** The folder as given. */
  readonly path: string;
  /** The manifest found before this run (`null`: a fresh folder). */
  readonly previous: OutputManifest | null;
  /** Whether this call only joined a lock this process already held (an outer caller owns the manifest). */
  readonly nested: boolean;
  /** Marks the run `finished` in the manifest. */
  finish(): Promise<void>;
  /**
   * After a failure: when the run wrote nothing but the manifest, undoes the opening (removes a folder
   * this run created, or restores the earlier manifest), so a run that failed validation touches nothing.
   */
  abandon(): Promise<void>;
  /** Releases the lock (the manifest stays). */
  release(): void;
}

async function kindOf(path: string): Promise<'missing' | 'directory' | 'file'> {
  try {
    return (await stat(path)).isDirectory() ? 'directory' : 'file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'ENOTDIR') return 'file';
    throw FileSystemError.from(error, path, 'inspect', 'validating the output folder');
  }
}

async function absolute(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}

const inside = (child: string, parent: string) =>
  child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

/**
 * Reads the manifest of a folder (`null` when it has none).
 *
 * @example
 * ```ts
 * (await readOutputManifest('runs/sft'))?.status; // 'finished'
 * ```
 */
export async function readOutputManifest(folder: string): Promise<OutputManifest | null> {
  const file = join(folder, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw FileSystemError.from(error, file, 'read', 'validating the output folder');
  }
  try {
    const m = JSON.parse(text) as OutputManifest;
    if (typeof m.kind !== 'string' || (m.status !== 'running' && m.status !== 'finished'))
      throw new SyntaxError('kind or status missing');
    return { ...m, fingerprint: m.fingerprint ?? {} };
  } catch (error) {
    throw new OutputFolderError(
      folder,
      `has a damaged ${MANIFEST_FILE} (${(error as Error).message}); delete it, or pass overwrite to start over`,
    );
  }
}

async function writeManifest(folder: string, manifest: OutputManifest): Promise<void> {
  const file = join(folder, MANIFEST_FILE);
  const temp = join(folder, temporaryName(MANIFEST_FILE, 'tmp', randomBytes(4).toString('hex')));
  try {
    await writeFile(temp, `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw FileSystemError.from(error, file, 'write', 'marking the output folder');
  }
}

/**
 * Opens the output folder of a run, before anything is trained: checks it, locks it and marks it.
 *
 * 1. Validation, which writes nothing: the path is not a file (nor under one); it is not an input, inside
 *    one, nor holds one; a manifest of another `kind` is refused (unless `overwrite`).
 * 2. The lock ({@link acquireRunLock}): a second run into the folder fails at once naming the holder.
 * 3. A folder holding a finished run, an interrupted run, or files without a manifest needs `overwrite`
 *    (which removes the folder's content) — or `resume` for the run it holds, whose `fingerprint` must
 *    equal the stored one ({@link ResumeMismatchError} names what differs).
 * 4. Temporaries left by killed runs are removed; the manifest is written with status `running`.
 *
 * A call for a folder this process has already opened (the command line around a library call) only
 * joins the lock and returns a `nested` handle. Any failure releases the lock.
 *
 * @example
 * ```ts
 * const out = await openOutputFolder('runs/sft', { kind: 'sft', command: 'rlhf sft', inputs: ['models/base'] });
 * try { await train(); await out.finish(); } finally { out.release(); }
 * ```
 */
export async function openOutputFolder(folder: string, o: OpenOutputFolderOptions): Promise<OutputFolder> {
  if (holdsRunLock(folder)) {
    const lock = acquireRunLock(folder, o.command);
    return {
      path: folder,
      previous: null,
      nested: true,
      finish: async () => {},
      abandon: async () => {},
      release: () => lock.release(),
    };
  }
  const kind = await kindOf(folder);
  if (kind === 'file') throw new OutputFolderError(folder, 'exists and is a file (or lies under a file), not a folder');
  const abs = await absolute(folder);
  for (const input of o.inputs ?? []) {
    const other = await absolute(input);
    if (abs === other) throw new OutputFolderError(folder, `is the input ${input}; write the output to another folder`);
    if (inside(abs, other))
      throw new OutputFolderError(folder, `is inside the input ${input}; write the output elsewhere`);
    if (inside(other, abs))
      throw new OutputFolderError(folder, `contains the input ${input}; write the output elsewhere`);
  }
  const previous = kind === 'directory' ? await readOutputManifest(folder) : null;
  if (previous && previous.kind !== o.kind && !o.overwrite)
    throw new OutputFolderError(
      folder,
      `holds ${previous.kind} output (${previous.command}), not ${o.kind} output; choose another folder (or pass overwrite to replace it)`,
    );
  if (kind === 'missing') {
    try {
      await mkdir(folder, { recursive: true });
    } catch (error) {
      throw FileSystemError.from(error, folder, 'create directory', 'preparing the output folder');
    }
  }
  const lock: RunLock = acquireRunLock(folder, o.command);
  try {
    // Temporaries of killed runs (a manifest or checkpoint half-written) are garbage, not outputs.
    if (kind === 'directory') await removeOrphanedTemporaries(folder);
    const others = kind === 'directory' ? (await readdir(folder)).filter((e) => e !== LOCK_FILE) : [];
    const resuming = Boolean(o.resume && previous && previous.kind === o.kind);
    if (resuming && previous) {
      const differ = Object.keys({ ...previous.fingerprint, ...(o.fingerprint ?? {}) })
        .filter((k) => previous.fingerprint[k] !== o.fingerprint?.[k])
        .sort();
      if (differ.length > 0) throw new ResumeMismatchError(folder, differ);
    } else if (previous && !o.overwrite) {
      throw new OutputFolderError(
        folder,
        previous.status === 'finished'
          ? `holds a finished ${previous.kind} run (${previous.updated}); pass --overwrite (overwrite_output_dir) to replace it, or choose another folder`
          : `holds an interrupted ${previous.kind} run (${previous.updated}); pass --resume to continue it, --overwrite (overwrite_output_dir) to start over, or choose another folder`,
      );
    } else if (!previous && others.length > 0 && !o.overwrite) {
      throw new OutputFolderError(
        folder,
        `is not empty (${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}) and holds no ${MANIFEST_FILE} of an rlhf run; pass --overwrite (overwrite_output_dir) to write into it anyway, or choose another folder`,
      );
    }
    // A folder we wrote before: its old outputs make way, so that nothing of two runs mixes (never on
    // resume). They are moved aside, not deleted, until this run finishes: a run that fails before writing
    // anything (a bad record found late) puts them back, so an `overwrite` that fails loses nothing.
    const replaced =
      o.overwrite && previous && !resuming && others.length > 0
        ? join(folder, temporaryName('replaced-run', 'tmp', randomBytes(4).toString('hex')))
        : null;
    if (replaced) {
      await mkdir(replaced);
      for (const e of others) await rename(join(folder, e), join(replaced, e));
    }
    const dropReplaced = async () => {
      if (replaced) await rm(replaced, { recursive: true, force: true });
    };
    const now = new Date().toISOString();
    const manifest: OutputManifest = {
      kind: o.kind,
      status: 'running',
      created: resuming && previous ? previous.created : now,
      updated: now,
      command: o.command,
      fingerprint: o.fingerprint ?? {},
    };
    await writeManifest(folder, manifest);
    return {
      path: folder,
      previous,
      nested: false,
      finish: async () => {
        await writeManifest(folder, { ...manifest, status: 'finished', updated: new Date().toISOString() });
        await dropReplaced();
      },
      abandon: async () => {
        const left = (await readdir(folder).catch(() => [] as string[])).filter(
          (e) => e !== LOCK_FILE && e !== MANIFEST_FILE && join(folder, e) !== replaced,
        );
        if (left.length > 0) {
          // The run wrote outputs (history, checkpoints): keep them, as an interrupted run of its own.
          await dropReplaced();
          return;
        }
        if (replaced) {
          // Nothing written: the replaced run comes back whole, its manifest included.
          for (const e of await readdir(replaced)) await rename(join(replaced, e), join(folder, e));
          await dropReplaced();
          return;
        }
        if (kind === 'missing') await rm(folder, { recursive: true, force: true });
        else if (previous) await writeManifest(folder, previous);
        else await rm(join(folder, MANIFEST_FILE), { force: true });
      },
      release: () => lock.release(),
    };
  } catch (error) {
    lock.release();
    throw FileSystemError.from(error, folder, 'prepare', 'preparing the output folder');
  }
}

/**
 * Runs `run` with `folder` opened by {@link openOutputFolder} (nothing is opened when `folder` is null):
 * marks it `finished` when `run` succeeds and releases the lock in every case.
 *
 * @example
 * ```ts
 * await withOutputFolder('runs/sft', { kind: 'sft', command: 'rlhf sft' }, async () => train());
 * ```
 */
export async function withOutputFolder<T>(
  folder: string | null | undefined,
  options: OpenOutputFolderOptions,
  run: (out: OutputFolder | null) => Promise<T>,
): Promise<T> {
  if (!folder) return run(null);
  const out = await openOutputFolder(folder, options);
  try {
    const value = await run(out);
    await out.finish();
    return value;
  } catch (error) {
    await out.abandon().catch(() => {});
    throw error;
  } finally {
    out.release();
  }
}
