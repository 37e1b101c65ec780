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
