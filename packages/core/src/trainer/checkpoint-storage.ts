import { CheckpointError } from './checkpoint-error.js';

/** The files of one checkpoint, by file name (`model.safetensors`, `trainer_state.json`, ...). */
export type CheckpointFiles = ReadonlyMap<string, Uint8Array>;

/**
 * Where a trainer keeps its checkpoints: a directory on disk in Node (`FileCheckpointStorage` from
 * `@rlhf/core/node`, what `output_dir` gives), memory ({@link MemoryCheckpointStorage}), or anything a
 * browser application provides (IndexedDB, OPFS). Checkpoints are named `checkpoint-<step>`.
 *
 * Contract: {@link CheckpointStorage.write} is atomic — a reader sees the old checkpoint of that name or the
 * complete new one, never a partial one — and a failed write leaves every earlier checkpoint in place.
 *
 * @example
 * ```ts
 * const storage = new MemoryCheckpointStorage();
 * const trainer = new SFTTrainer({ checkpoint_storage: storage, save_steps: 5 });
 * ```
 */
export interface CheckpointStorage {
  /** Where the checkpoints live, for messages (a directory, `'memory'`, ...). */
  readonly location: string;
  /** Stores a checkpoint atomically, replacing one of the same name only once the new one is complete. */
  write(name: string, files: CheckpointFiles): Promise<void>;
  /**
   * Reads a checkpoint by name (or, for storages that have them, by path). Throws when it does not exist.
   */
  read(name: string): Promise<Map<string, Uint8Array>>;
  /** Names of the complete checkpoints held. */
  list(): Promise<string[]>;
  /** Deletes a checkpoint (used by `save_total_limit`); storages without it keep every checkpoint. */
  remove?(name: string): Promise<void>;
}

/**
 * Checkpoints kept in memory (tests, browsers, short experiments). Copies bytes in and out, so a caller
 * cannot change a stored checkpoint.
 *
 * @example
 * ```ts
 * const storage = new MemoryCheckpointStorage();
 * await storage.write('checkpoint-5', new Map([['trainer_state.json', bytes]]));
 * await storage.list(); // ['checkpoint-5']
 * ```
 */
export class MemoryCheckpointStorage implements CheckpointStorage {
  /** Creates an empty store; checkpoints live as long as this object. */
  // biome-ignore lint/complexity/noUselessConstructor: the constructor exists to carry its documentation.
  constructor() {}

  readonly location = 'memory';
  private readonly checkpoints = new Map<string, Map<string, Uint8Array>>();

  async write(name: string, files: CheckpointFiles): Promise<void> {
    this.checkpoints.set(name, new Map([...files].map(([k, v]) => [k, v.slice()])));
  }

  async read(name: string): Promise<Map<string, Uint8Array>> {
    const found = this.checkpoints.get(name);
    if (!found)
      throw new CheckpointError(
        name,
        `does not exist in memory (have: ${[...this.checkpoints.keys()].join(', ') || 'none'})`,
      );
    return new Map([...found].map(([k, v]) => [k, v.slice()]));
  }

  async list(): Promise<string[]> {
    return [...this.checkpoints.keys()];
  }

  async remove(name: string): Promise<void> {
    this.checkpoints.delete(name);
  }
}

/**
 * Keeps the newest `limit` checkpoints (`checkpoint-<step>`, by step) of a storage and deletes the older
 * ones — Hugging Face Trainer's `save_total_limit` (`null`: keep all). Other entries are left alone;
 * a storage without `remove` keeps everything. Returns the names deleted.
 *
 * @example
 * ```ts
 * await pruneCheckpoints(storage, 2); // ['checkpoint-5'] when checkpoint-5, -10 and -15 were held
 * ```
 */
export async function pruneCheckpoints(storage: CheckpointStorage, limit: number | null): Promise<string[]> {
  if (limit === null || !storage.remove) return [];
  const steps = (await storage.list())
    .map((name) => ({ name, m: /^checkpoint-(\d+)$/.exec(name) }))
    .filter((c) => c.m !== null)
    .map((c) => ({ name: c.name, step: Number(c.m?.[1]) }))
    .sort((a, b) => b.step - a.step);
  const old = steps.slice(Math.max(0, limit)).map((c) => c.name);
  for (const name of old) await storage.remove(name);
  return old;
}

/**
 * A storage that applies `save_total_limit` after every write (the oldest checkpoints beyond the limit are removed).
 *
 * @example
 * ```ts
 * const storage = withCheckpointLimit(new MemoryCheckpointStorage(), 2);
 * ```
 */
export function withCheckpointLimit(storage: CheckpointStorage, limit: number | null): CheckpointStorage {
  if (limit === null) return storage;
  return {
    get location() {
      return storage.location;
    },
    write: async (name, files) => {
      await storage.write(name, files);
      await pruneCheckpoints(storage, limit);
    },
    read: (name) => storage.read(name),
    list: () => storage.list(),
    ...(storage.remove ? { remove: (name: string) => (storage.remove as (n: string) => Promise<void>)(name) } : {}),
  };
}

/**
 * The name of the checkpoint written after `step` optimizer steps (Hugging Face's naming).
 *
 * @example
 * ```ts
 * checkpointName(500); // 'checkpoint-500'
 * ```
 */
export function checkpointName(step: number): string {
  return `checkpoint-${step}`;
}
