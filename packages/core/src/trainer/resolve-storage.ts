import { type CheckpointStorage, withCheckpointLimit } from './checkpoint-storage.js';
import { ConfigError } from './config-error.js';
import type { TrainerOptions } from './trainer-options.js';

/** The Node-only entry that holds the file storage; imported only when a directory is asked for. */
const NODE_ENTRY = '@rlhf/core/node';

type NodeEntry = typeof import('../node.js');

async function fileStorage(
  owner: string,
  key: string,
  value: unknown,
  directory: string,
  releases?: (() => void)[],
): Promise<CheckpointStorage> {
  let entry: NodeEntry;
  try {
    // A computed specifier keeps bundlers from pulling Node's file system into browser builds.
    entry = (await import(/* @vite-ignore */ NODE_ENTRY)) as NodeEntry;
  } catch (error) {
    throw new ConfigError(
      owner,
      key,
      value,
      'a directory only under Node.js; in a browser pass checkpoint_storage instead',
      (error as Error).message,
    );
  }
  const storage = new entry.FileCheckpointStorage(directory);
  if (releases) {
    // The run's output folder is locked for the run (shared with an outer lock of this process, e.g. the
    // CLI's) before anything in it is touched: temporaries are cleaned only under the lock.
    const lock = await storage.lock(`${owner} (output_dir ${directory})`);
    releases.push(() => lock.release());
  }
  await storage.prepare();
  return storage;
}

/** What {@link resolveCheckpointing} gives a run. */
export interface Checkpointing {
  /** Where the run writes checkpoints (`null`: none). */
  storage: CheckpointStorage | null;
  /** Where to resume from (`null`: a fresh run). */
  resume: {
    /** The storage that holds the checkpoint. */
    storage: CheckpointStorage;
    /** The checkpoint's name in it. */
    name: string;
  } | null;
  /** Releases the lock of `output_dir` (call when the run ends, in every case). */
  release: () => void;
}

/**
 * Where a run writes checkpoints and where it resumes from, from its options: `checkpoint_storage` when
 * given, else a directory storage on `output_dir` (Node only; loaded lazily so that core stays
 * browser-safe). Resuming by path without `output_dir` reads relative to the working directory. Only
 * `output_dir` itself is created here (to hold its lock); temporaries that killed runs left in `output_dir` are removed. A fresh run
 * (no `resume_from_checkpoint`) into storage that already holds checkpoints needs `overwrite_output_dir`
 * (which deletes them first), so an earlier run is never mixed with or overwritten silently.
 * `save_total_limit` keeps the newest checkpoints only (applied after each write). `output_dir` is locked
 * for the run (a second run into it fails at once with `RunLockError`); the caller releases it.
 *
 * @example
 * ```ts
 * const { storage, resume } = await resolveCheckpointing('SFTTrainer', options);
 * ```
 */
export async function resolveCheckpointing(
  owner: string,
  o: Pick<TrainerOptions, 'checkpoint_storage' | 'output_dir' | 'resume_from_checkpoint'> &
    Partial<Pick<TrainerOptions, 'save_total_limit' | 'overwrite_output_dir'>>,
): Promise<Checkpointing> {
  const releases: (() => void)[] = [];
  const release = () => {
    for (const r of releases.splice(0)) r();
  };
  try {
    return { ...(await planCheckpointing(owner, o, releases)), release };
  } catch (error) {
    release();
    throw error;
  }
}

async function planCheckpointing(
  owner: string,
  o: Pick<TrainerOptions, 'checkpoint_storage' | 'output_dir' | 'resume_from_checkpoint'> &
    Partial<Pick<TrainerOptions, 'save_total_limit' | 'overwrite_output_dir'>>,
  releases: (() => void)[],
): Promise<Omit<Checkpointing, 'release'>> {
  const given =
    o.checkpoint_storage ??
    (o.output_dir === null ? null : await fileStorage(owner, 'output_dir', o.output_dir, o.output_dir, releases));
  const storage = given && withCheckpointLimit(given, o.save_total_limit ?? null);
  const r = o.resume_from_checkpoint;
  if (r === null || r === false) {
    const earlier = storage ? (await storage.list()).filter((n) => /^checkpoint-\d+$/.test(n)) : [];
    if (storage && earlier.length > 0) {
      if (!o.overwrite_output_dir || !storage.remove)
        throw new ConfigError(
          owner,
          o.checkpoint_storage ? 'checkpoint_storage' : 'output_dir',
          storage.location,
          `a place without an earlier run's checkpoints, but it holds ${earlier.sort().join(', ')}: set resume_from_checkpoint to continue that run, or overwrite_output_dir: true to delete them and start over`,
        );
      for (const name of earlier) await storage.remove(name);
    }
    return { storage, resume: null };
  }
  if (r === true) {
    if (!storage)
      throw new ConfigError(
        owner,
        'resume_from_checkpoint',
        r,
        'a checkpoint name or path when neither output_dir nor checkpoint_storage is set',
      );
    const latest = await latestCheckpoint(storage);
    if (latest === null)
      throw new ConfigError(
        owner,
        'resume_from_checkpoint',
        r,
        `an existing checkpoint, but ${storage.location} holds none`,
      );
    return { storage, resume: { storage, name: latest } };
  }
  const from = storage ?? (await fileStorage(owner, 'resume_from_checkpoint', r, '.'));
  return { storage, resume: { storage: from, name: r } };
}

/**
 * The name of the checkpoint with the most steps in a storage, or `null` when it holds none.
 *
 * @example
 * ```ts
 * await latestCheckpoint(storage); // 'checkpoint-500'
 * ```
 */
export async function latestCheckpoint(storage: CheckpointStorage): Promise<string | null> {
  let best: string | null = null;
  let bestStep = -1;
  for (const name of await storage.list()) {
    const m = /^checkpoint-(\d+)$/.exec(name);
    if (m && Number(m[1]) > bestStep) {
      bestStep = Number(m[1]);
      best = name;
    }
  }
  return best;
}
