import type { Module } from '../nn/module.js';
import type { AdamW, AdamWState } from '../optim/adamw.js';
import type { RandomState } from '../random/random.js';
import { CheckpointError } from './checkpoint-error.js';
import type { CheckpointStorage } from './checkpoint-storage.js';
import type { MetricAccumulator } from './metric-accumulator.js';
import { NonFiniteError } from './non-finite-error.js';
import type { TrainingHistory } from './training-history.js';

/** A host tensor, as checkpoints hold them. */
export interface CheckpointTensor {
  /** The tensor's shape. */
  shape: readonly number[];
  /** Its values, row-major. */
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
  /** Serialises named tensors (and optional string metadata) into one file's bytes. */
  encode(tensors: ReadonlyMap<string, CheckpointTensor>, metadata?: Record<string, string>): Uint8Array;
  /** Parses a file's bytes back into named tensors; `fileName` is for error messages. */
  decode(bytes: Uint8Array, fileName: string): Map<string, CheckpointTensor>;
}

/**
 * The logging window in progress (steps since the last train record), whole, so that a run resumed at any
 * step logs exactly what an unbroken one does.
 */
export interface LogWindow {
  /** Optimizer steps in the window (skipped ones included). */
  steps: number;
  /** Of those, steps skipped for a non-finite loss or gradient norm (`skip_nonfinite_steps`). */
  skipped: number;
  /** Gradient norm of the window's last applied (not skipped) step, `null` before one. */
  gradNorm: number | null;
  /** Summed loss of those steps (over units, not averaged). */
  lossSum: number;
  /** Loss units (target tokens, pairs) of those steps. */
  units: number;
  /** Input tokens of those steps. */
  tokens: number;
  /** Wall-clock seconds of those steps. */
  seconds: number;
  /** Task metrics of those steps, combined by their reductions, by name. */
  metrics: MetricAccumulator;
}

/** Everything of a run besides tensors: `trainer_state.json`. */
export interface TrainerStateFile {
  /** Marks the file as ours. */
  format: 'rlhf-trainer-state';
  /** Version of this layout. */
  version: 1;
  /** The trainer that wrote it (`'SFTTrainer'`). */
  owner: string;
  /** Optimizer steps done. */
  global_step: number;
  /** 0-based epoch in progress (or the next one, when `step_in_epoch` is 0). */
  epoch_index: number;
  /** Optimizer steps done in the epoch in progress. */
  step_in_epoch: number;
  /** The shuffled order of the epoch in progress (`null` between epochs). */
  epoch_order: number[] | null;
  /** Optimizer steps the run is planned for. */
  total_steps: number;
  /** Optimizer steps in one epoch. */
  steps_per_epoch: number;
  /** Number of training examples (a resume with other data is refused). */
  train_examples: number;
  /** The run's generator, as it was after the last step. */
  rng: RandomState;
  /** AdamW's step count (bias correction). */
  optimizer_step: number;
  /** The logging window in progress. */
  window: LogWindow;
  /** The history up to this checkpoint. */
  history: TrainingHistory;
  /** The task's own state (`TrainingTask.state`), when it has one. */
  task_state?: unknown;
  /** Running totals. */
  counters: {
    /** Input tokens fed to the model. */
    tokens_seen: number;
    /** Loss units seen. */
    units_seen: number;
    /** Steps skipped for a non-finite loss or gradient norm (absent in older files: 0). */
    skipped_steps?: number;
  };
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
  // Never write a checkpoint from a non-finite state (the values are on the host already: one pass).
  assertFinite(weights, 'parameter', state);
  assertFinite(optimizerTensors, 'optimizer state', state);
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
  /** The checkpoint's name (`checkpoint-10`). */
  name: string;
  /** Its `trainer_state.json`. */
  state: TrainerStateFile;
  /** Parameter values, by parameter name. */
  weights: Map<string, CheckpointTensor>;
  /** AdamW moments, by `<parameter>.exp_avg` / `<parameter>.exp_avg_sq`. */
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

function assertFinite(
  tensors: ReadonlyMap<string, CheckpointTensor>,
  quantity: 'parameter' | 'optimizer state',
  state: TrainerStateFile,
): void {
  for (const [name, t] of tensors) {
    const bad = t.data.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) {
      throw new NonFiniteError({
        owner: state.owner,
        step: state.global_step,
        quantity,
        value: t.data[bad] as number,
        tensor: name,
      });
    }
  }
}

function parameterNames(model: Module): Map<unknown, string> {
  return new Map([...model.namedParameters()].map(([n, p]) => [p, n]));
}
