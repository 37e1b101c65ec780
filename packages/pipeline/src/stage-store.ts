import { CheckpointError, type CheckpointStorage } from '@rlhf/core';
import { type HostTensor, parseSafetensors, serializeSafetensors } from '@rlhf/models';

/** The stages of the pipeline, in order (the DPO stage was named `rlhf` before; see {@link StageStore}). */
export type StageName = 'sft' | 'reward' | 'dpo';

/** The entry name a stage had in stores written before the DPO stage was named `dpo`. */
const LEGACY_ENTRY: Partial<Record<StageName, string>> = { dpo: 'stage-rlhf' };

/** What a finished stage leaves: its weights, its trainer's result and statistics, and any extras. */
export interface StageArtifact {
  /** The trained model's parameters by Hugging Face name. */
  weights: ReadonlyMap<string, HostTensor>;
  /** The trainer's `huan_luyen` result. */
  result: Record<string, unknown>;
  /** The trainer's `thong_ke()` when the stage finished. */
  stats: Record<string, unknown>;
  /** Stage-specific values (the reward model's normalisation, evaluation samples, ...). */
  extra?: Record<string, unknown>;
}

const STATE_FILE = 'trainer_state.json';
const WEIGHTS_FILE = 'model.safetensors';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Finished stages kept in a {@link CheckpointStorage} as `stage-<name>` (weights as safetensors plus a
 * JSON state file; a DPO stage stored as `stage-rlhf` by an earlier version is still read). The storage writes atomically, so a stage is either stored whole or not at all — a
 * crash mid-stage leaves the earlier stages intact.
 *
 * @example
 * ```ts
 * const store = new StageStore(new FileCheckpointStorage('runs/demo/stages'));
 * if (!(await store.has('sft'))) await store.save('sft', artifact);
 * ```
 */
export class StageStore {
  /** Stores stages in `storage` (a file or memory checkpoint storage). */
  constructor(
    /** Where the stages are written, one entry `stage-<name>` each. */
    readonly storage: CheckpointStorage,
  ) {}

  /** Whether a stage finished (and was stored). */
  async has(stage: StageName): Promise<boolean> {
    return (await this.entryOf(stage)) !== null;
  }

  /** The stored entry of a stage: `stage-<name>`, or for DPO a store's older `stage-rlhf`; null when absent. */
  private async entryOf(stage: StageName): Promise<string | null> {
    const names = await this.storage.list();
    const legacy = LEGACY_ENTRY[stage];
    if (names.includes(`stage-${stage}`)) return `stage-${stage}`;
    return legacy !== undefined && names.includes(legacy) ? legacy : null;
  }

  /** Stores a finished stage atomically. */
  async save(stage: StageName, artifact: StageArtifact): Promise<void> {
    const state = { stage, result: artifact.result, stats: artifact.stats, extra: artifact.extra ?? {} };
    await this.storage.write(
      `stage-${stage}`,
      new Map([
        [STATE_FILE, encoder.encode(`${JSON.stringify(state, null, 2)}\n`)],
        [WEIGHTS_FILE, serializeSafetensors(artifact.weights, { format: 'pt' })],
      ]),
    );
  }

  /** Reads a stored stage (throws when it is absent or damaged). */
  async load(stage: StageName): Promise<StageArtifact> {
    const entry = (await this.entryOf(stage)) ?? `stage-${stage}`;
    const files = await this.storage.read(entry);
    let state: { result: Record<string, unknown>; stats: Record<string, unknown>; extra: Record<string, unknown> };
    try {
      state = JSON.parse(decoder.decode(files.get(STATE_FILE)));
      if (typeof state !== 'object' || state === null) throw new SyntaxError('not a JSON object');
    } catch (error) {
      throw new CheckpointError(
        `${entry}/${STATE_FILE}`,
        `is not valid JSON (${(error as Error).message}); rerun with --overwrite`,
        {
          cause: error,
        },
      );
    }
    const weights = parseSafetensors(files.get(WEIGHTS_FILE) ?? new Uint8Array(), `${entry}/${WEIGHTS_FILE}`).tensors;
    return { weights, result: state.result, stats: state.stats, extra: state.extra };
  }
}
