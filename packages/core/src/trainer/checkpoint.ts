import type { Module } from '../nn/module.js';
import type { AdamW, AdamWState } from '../optim/adamw.js';
import type { RandomState } from '../random/random.js';
import { CheckpointError } from './checkpoint-error.js';
import type { CheckpointStorage } from './checkpoint-storage.js';
import type { TrainingHistory } from './training-history.js';

/** A host tensor, as checkpoints hold them. */
export interface CheckpointTensor {
  shape: readonly number[];
  data: Float32Array;
}

/**
 * How tensors become bytes in a checkpoint. Core stays format-free; trainers pass the safetensors
 * serializer of `@rlhf/models` (`serializeSafetensors` / `parseSafetensors`), so checkpoints hold
 * `model.safetensors` and `optimizer.safetensors` that other tools read.
 */
export interface TensorCodec {
  /** File extension of the format, e.g. `'safetensors'`. */
  readonly extension: string;
  encode(tensors: ReadonlyMap<string, CheckpointTensor>, metadata?: Record<string, string>): Uint8Array;
  decode(bytes: Uint8Array, fileName: string): Map<string, CheckpointTensor>;
}

/** The logging window in progress (steps since the last train record), so a resumed run logs the same. */
export interface LogWindow {
  steps: number;
  lossSum: number;
  units: number;
  tokens: number;
  seconds: number;
  metricSums: Record<string, number>;
}

/** Everything of a run besides tensors: `trainer_state.json`. */
export interface TrainerStateFile {
  format: 'rlhf-trainer-state';
  version: 1;
  /** The trainer that wrote it (`'SFTTrainer'`). */
  owner: string;
  global_step: number;
  /** 0-based epoch in progress (or the next one, when `step_in_epoch` is 0). */
  epoch_index: number;
  /** Optimizer steps done in the epoch in progress. */
  step_in_epoch: number;
  /** The shuffled order of the epoch in progress (`null` between epochs). */
  epoch_order: number[] | null;
  total_steps: number;
  steps_per_epoch: number;
  train_examples: number;
  /** The run's generator, as it was after the last step. */
  rng: RandomState;
  /** AdamW's step count (bias correction). */
  optimizer_step: number;
  window: LogWindow;
  history: TrainingHistory;
  counters: { tokens_seen: number; units_seen: number };
}

const STATE_FILE = 'trainer_state.json';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Writes a checkpoint — weights (every parameter, by name), AdamW moments (by parameter name), and the
 * state file — in one atomic storage write.
 *
 * @example
 * ```ts
 * await saveCheckpoint(storage, 'checkpoint-10', codec, model, optimizer, state);
 * ```
 */
export async function saveCheckpoint(
  storage: CheckpointStorage,
  name: string,
  codec: TensorCodec,
  model: Module,
  optimizer: AdamW,
  state: TrainerStateFile,
): Promise<void> {
  const weights = await model.stateDict();
  const moments = await optimizer.getState();
  const names = parameterNames(model);
  const optimizerTensors = new Map<string, CheckpointTensor>();
  optimizer.params().forEach((p, i) => {
    const pname = names.get(p) ?? `param.${i}`;
    const m = moments.moments[i] as { m: Float32Array; v: Float32Array };
    optimizerTensors.set(`${pname}.exp_avg`, { shape: [...p.shape], data: m.m });
    optimizerTensors.set(`${pname}.exp_avg_sq`, { shape: [...p.shape], data: m.v });
  });
  const files = new Map<string, Uint8Array>([
    [`model.${codec.extension}`, codec.encode(weights, { format: 'pt' })],
    [`optimizer.${codec.extension}`, codec.encode(optimizerTensors, { step: String(moments.step) })],
    [STATE_FILE, encoder.encode(JSON.stringify(state, null, 1))],
  ]);
  try {
    await storage.write(name, files);
  } catch (error) {
    throw new CheckpointError(`${storage.location}/${name}`, `could not be written: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** A checkpoint read back: its state file and tensors. */
export interface LoadedCheckpoint {
  name: string;
  state: TrainerStateFile;
  weights: Map<string, CheckpointTensor>;
  optimizer: Map<string, CheckpointTensor>;
}

/**
 * Reads a checkpoint and checks that its files are complete and its state file is one of ours.
 *
 * @example
 * ```ts
 * const ckpt = await readCheckpoint(storage, 'checkpoint-10', codec);
 * ckpt.state.global_step; // 10
 * ```
 */
export async function readCheckpoint(
  storage: CheckpointStorage,
  name: string,
  codec: TensorCodec,
): Promise<LoadedCheckpoint> {
  let files: Map<string, Uint8Array>;
  try {
    files = await storage.read(name);
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    throw new CheckpointError(name, `cannot be read from ${storage.location}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const need = (file: string): Uint8Array => {
    const bytes = files.get(file);
    if (!bytes) throw new CheckpointError(name, `has no ${file}`);
    return bytes;
  };
  let state: TrainerStateFile;
  try {
    state = JSON.parse(decoder.decode(need(STATE_FILE))) as TrainerStateFile;
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    throw new CheckpointError(name, `has an unreadable ${STATE_FILE}: ${(error as Error).message}`, { cause: error });
  }
  if (state.format !== 'rlhf-trainer-state' || state.version !== 1) {
    throw new CheckpointError(
      name,
      `has a ${STATE_FILE} this version cannot read (format ${String(state.format)}, version ${String(state.version)})`,
    );
  }
  const weightsFile = `model.${codec.extension}`;
  const optimizerFile = `optimizer.${codec.extension}`;
  return {
    name,
    state,
    weights: codec.decode(need(weightsFile), `${name}/${weightsFile}`),
    optimizer: codec.decode(need(optimizerFile), `${name}/${optimizerFile}`),
  };
}

/**
 * Puts a checkpoint's weights into the model and its moments into the optimizer (by parameter name).
 * Throws a {@link CheckpointError} naming the first parameter that is missing or of another shape.
 *
 * @example
 * ```ts
 * restoreTensors(ckpt, model, optimizer);
 * ```
 */
export function restoreTensors(ckpt: LoadedCheckpoint, model: Module, optimizer: AdamW): void {
  try {
    model.loadStateDict(ckpt.weights);
  } catch (error) {
    throw new CheckpointError(ckpt.name, `does not fit this model: ${(error as Error).message}`, { cause: error });
  }
  const names = parameterNames(model);
  const moments: AdamWState['moments'] = optimizer.params().map((p, i) => {
    const pname = names.get(p) ?? `param.${i}`;
    const m = ckpt.optimizer.get(`${pname}.exp_avg`);
    const v = ckpt.optimizer.get(`${pname}.exp_avg_sq`);
    if (!m || !v || m.data.length !== p.size || v.data.length !== p.size) {
      throw new CheckpointError(
        ckpt.name,
        `has no optimizer state of the right size for trainable parameter '${pname}' (was it written with other trainable parameters, e.g. without LoRA?)`,
      );
    }
    return { m: m.data, v: v.data };
  });
  optimizer.setState({ step: ckpt.state.optimizer_step, moments });
}

function parameterNames(model: Module): Map<unknown, string> {
  return new Map([...model.namedParameters()].map(([n, p]) => [p, n]));
}
