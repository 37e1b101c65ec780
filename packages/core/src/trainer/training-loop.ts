import { InvalidArgumentError } from '../errors/tensor-errors.js';
import type { Module } from '../nn/module.js';
import { div } from '../ops/elementwise.js';
import { AdamW } from '../optim/adamw.js';
import { clipGradNorm } from '../optim/clip-grad-norm.js';
import { decayGroups } from '../optim/param-groups.js';
import { constantSchedule, cosineSchedule, type LearningRateSchedule, linearSchedule } from '../optim/schedules.js';
import type { Random } from '../random/random.js';
import { noGrad, tidy } from '../tensor/engine.js';
import {
  type LogWindow,
  readCheckpoint,
  restoreTensors,
  saveCheckpoint,
  type TensorCodec,
  type TrainerStateFile,
} from './checkpoint.js';
import { CheckpointError } from './checkpoint-error.js';
import { type CheckpointStorage, checkpointName } from './checkpoint-storage.js';
import { accumulateMetrics, finishMetrics, type MetricAccumulator, readMetrics } from './metric-accumulator.js';
import { NonFiniteError, type NonFiniteSite } from './non-finite-error.js';
import type { TrainerOptions } from './trainer-options.js';
import { appendRecord, type EvalLogRecord, type LogRecord, type TrainLogRecord } from './training-history.js';
import type { TrainingProgress } from './training-progress.js';
import type { BatchMeasure, TrainingTask } from './training-task.js';

/**
 * Called with every record the history receives (train and eval), and the run's live progress (its
 * `global_step` of `total_steps`, for progress bars); may be async. Returning `false` (or a
 * promise of `false`; any other value continues) stops training after the current optimizer step (a checkpoint is written first when checkpoints are on).
 */
export type TrainerCallback = (record: LogRecord, progress: Readonly<TrainingProgress>) => unknown;

/** Everything the shared loop needs. */
export interface TrainingLoopSetup<TItem> {
  /** Trainer name, for messages. */
  owner: string;
  /** The model being trained (its trainable parameters go to AdamW). */
  model: Module;
  /** How items are measured and turned into a loss. */
  task: TrainingTask<TItem>;
  /** The training items. */
  train: readonly TItem[];
  /** The validation items (`null`: no validation). */
  val: readonly TItem[] | null;
  /** The trainer's resolved options. */
  options: TrainerOptions;
  /** The run's generator: epoch shuffles (and whatever else the task draws, e.g. dropout). */
  rng: Random;
  /** How checkpoint tensors are written and read. */
  codec: TensorCodec;
  /** Where checkpoints are written (`null`: none). */
  storage: CheckpointStorage | null;
  /** Where `resume` is read from, and the checkpoint's name there (`null`: a fresh run). */
  resume: {
    /** The storage that holds the checkpoint. */
    storage: CheckpointStorage;
    /** The checkpoint's name in it. */
    name: string;
  } | null;
  /** Called with every logged record (`null`: none). */
  callback: TrainerCallback | null;
  /** Updated as the run goes (history, counters). */
  progress: TrainingProgress;
}

/** How the data divides into steps. */
export interface EpochPlan {
  /** Optimizer steps in one epoch. */
  steps_per_epoch: number;
  /** Optimizer steps of the whole run. */
  total_steps: number;
  /** Steps of linear learning-rate warm-up. */
  warmup_steps: number;
}

/**
 * Steps per epoch = ⌈⌈N / batch⌉ / accumulation⌉ (the last step of an epoch may have fewer micro-batches);
 * total = `max_steps` when set, else `so_vong` epochs; warm-up = ⌈warmup_ratio · total⌉ (Hugging Face).
 *
 * @example
 * ```ts
 * planEpochs(100, { kich_thuoc_batch: 4, gradient_accumulation: 4, so_vong: 3, max_steps: -1, warmup_ratio: 0.1 });
 * // { steps_per_epoch: 7, total_steps: 21, warmup_steps: 3 }
 * ```
 */
export function planEpochs(
  examples: number,
  o: Pick<TrainerOptions, 'kich_thuoc_batch' | 'gradient_accumulation' | 'so_vong' | 'max_steps' | 'warmup_ratio'>,
): EpochPlan {
  const stepsPerEpoch = Math.ceil(Math.ceil(examples / o.kich_thuoc_batch) / o.gradient_accumulation);
  const total = o.max_steps > 0 ? o.max_steps : o.so_vong * stepsPerEpoch;
  return { steps_per_epoch: stepsPerEpoch, total_steps: total, warmup_steps: Math.ceil(o.warmup_ratio * total) };
}

function scheduleFor(o: TrainerOptions, plan: EpochPlan): LearningRateSchedule {
  const make = { linear: linearSchedule, cosine: cosineSchedule, constant: constantSchedule }[o.lr_scheduler_type];
  return make({ lr: o.toc_do_hoc, warmupSteps: plan.warmup_steps, totalSteps: plan.total_steps });
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

function emptyWindow(): LogWindow {
  return { steps: 0, skipped: 0, gradNorm: null, lossSum: 0, units: 0, tokens: 0, seconds: 0, metrics: {} };
}

/** A checkpoint's window; one written before metric reductions (`metricSums`: per-unit sums) reads as `mean` metrics. */
function windowOf(saved: LogWindow & { metricSums?: Record<string, number> }): LogWindow {
  const metrics: MetricAccumulator = { ...(saved.metrics ?? {}) };
  for (const [k, v] of Object.entries(saved.metricSums ?? {})) metrics[k] = { reduce: 'mean', value: v };
  return {
    steps: saved.steps,
    skipped: saved.skipped ?? 0,
    gradNorm: saved.gradNorm ?? null,
    lossSum: saved.lossSum,
    units: saved.units,
    tokens: saved.tokens,
    seconds: saved.seconds,
    metrics,
  };
}

/** Every trainable parameter must be finite when a run ends successfully (one host read per parameter). */
async function checkParameters(owner: string, model: Module, step: number): Promise<void> {
  for (const [name, p] of model.namedParameters()) {
    if (!p.requiresGrad) continue;
    const data = await p.data();
    const bad = (data as Float32Array).findIndex((x) => !Number.isFinite(x));
    if (bad >= 0)
      throw new NonFiniteError({ owner, step, quantity: 'parameter', value: data[bad] as number, tensor: name });
  }
}

/**
 * The training loop shared by every trainer, in nanoGPT's order: learning rate from the schedule →
 * `gradient_accumulation` micro-batches of `kich_thuoc_batch` (each micro-batch's summed loss divided by
 * the units of the whole step, then `backward`) → a NaN/±Inf micro-batch loss or gradient norm stops the run
 * with a {@link NonFiniteError} naming the step (or skips the step with `skip_nonfinite_steps`) → clip at
 * `gradient_clip` → AdamW step → zero-grad →
 * log every `logging_steps` / validate after each epoch / checkpoint every `save_steps`. Examples are
 * reshuffled each epoch from the run's seeded generator. Task metrics combine by their reductions (mean,
 * sum, min, max); the whole logging window is checkpointed, so a run resumed at any step logs exactly what
 * an unbroken one does (bit for bit). Every trainable parameter is checked finite before success.
 *
 * @example
 * ```ts
 * await runTrainingLoop({ owner: 'SFTTrainer', model, task, train, val: null, options, rng: new Random(42),
 *   codec, storage: null, resume: null, callback: null, progress: emptyProgress() });
 * ```
 */
export async function runTrainingLoop<TItem>(setup: TrainingLoopSetup<TItem>): Promise<void> {
  const { owner, model, task, train, val, options: o, rng, codec, storage, callback, progress } = setup;
  const n = train.length;
  const plan = planEpochs(n, o);
  const lrAt = scheduleFor(o, plan);
  const params = model.parameters().filter((p) => p.requiresGrad);
  if (params.length === 0) throw new InvalidArgumentError(owner, 'model', 'model', 'has no trainable parameters');
  const optimizer = new AdamW(decayGroups(model, o.weight_decay), { lr: o.toc_do_hoc, weightDecay: o.weight_decay });
  progress.total_steps = plan.total_steps;
  progress.steps_per_epoch = plan.steps_per_epoch;

  let epochIndex = 0;
  let stepInEpoch = 0;
  let order: number[] | null = null;
  let window = emptyWindow();

  if (setup.resume) {
    const ckpt = await readCheckpoint(setup.resume.storage, setup.resume.name, codec);
    const s = ckpt.state;
    if (s.train_examples !== n || s.steps_per_epoch !== plan.steps_per_epoch) {
      throw new CheckpointError(
        setup.resume.name,
        `was written for ${s.train_examples} training examples in ${s.steps_per_epoch} steps per epoch; this run has ${n} in ${plan.steps_per_epoch} (same data, kich_thuoc_batch and gradient_accumulation are needed to resume)`,
      );
    }
    restoreTensors(ckpt, model, optimizer);
    rng.setState(s.rng);
    epochIndex = s.epoch_index;
    stepInEpoch = s.step_in_epoch;
    order = s.epoch_order;
    window = windowOf(s.window);
    task.state?.restore(s.task_state ?? null);
    progress.skipped_steps = s.counters.skipped_steps ?? 0;
    progress.history = s.history;
    progress.global_step = s.global_step;
    progress.epochs_completed = s.epoch_index;
    progress.tokens_seen = s.counters.tokens_seen;
    progress.units_seen = s.counters.units_seen;
    progress.resumed_from = setup.resume.name;
  }

  const emit = async (record: LogRecord): Promise<boolean> => {
    appendRecord(progress.history, record);
    return callback ? (await callback(record, progress)) !== false : true;
  };

  const evaluate = async (): Promise<EvalLogRecord> => {
    const items = val as readonly TItem[];
    let lossSum = 0;
    let units = 0;
    const metricAcc: MetricAccumulator = {};
    model.eval();
    try {
      for (let s = 0; s < items.length; s += o.kich_thuoc_batch) {
        const batch = items.slice(s, s + o.kich_thuoc_batch);
        units += task.measure(batch).units;
        const out = noGrad(() => tidy(() => task.loss(batch)));
        lossSum += await out.loss.item();
        out.loss.dispose();
        accumulateMetrics(metricAcc, await readMetrics(out.metrics));
      }
    } finally {
      model.train();
    }
    const valLoss = lossSum / Math.max(units, 1);
    const metrics: Record<string, number> = { ...(task.evalExtras?.(valLoss) ?? {}) };
    for (const [k, v] of Object.entries(finishMetrics(metricAcc, units))) metrics[`val_${k}`] = v;
    return {
      kind: 'eval',
      step: progress.global_step,
      epoch: progress.global_step / plan.steps_per_epoch,
      val_loss: valLoss,
      metrics,
    };
  };

  const stateFile = (taskState: unknown): TrainerStateFile => ({
    format: 'rlhf-trainer-state',
    version: 1,
    owner,
    global_step: progress.global_step,
    epoch_index: epochIndex,
    step_in_epoch: stepInEpoch,
    epoch_order: order,
    total_steps: plan.total_steps,
    steps_per_epoch: plan.steps_per_epoch,
    train_examples: n,
    rng: rng.getState(),
    optimizer_step: optimizer.stepCount,
    window,
    history: progress.history,
    counters: {
      tokens_seen: progress.tokens_seen,
      units_seen: progress.units_seen,
      skipped_steps: progress.skipped_steps,
    },
    ...(taskState === undefined ? {} : { task_state: taskState }),
  });

  try {
    model.train();
    let keepGoing = true;
    if (o.eval_on_start && val && progress.global_step === 0) keepGoing = await emit(await evaluate());
    if (!keepGoing) progress.stopped_early = true;

    while (keepGoing && progress.global_step < plan.total_steps) {
      if (order === null) order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
      const started = now();

      // 1. learning rate of this step
      const lr = lrAt(progress.global_step);

      // 2. micro-batches, each loss normalised by the units of the whole step: Σ_k (Σ_{u∈k} ℓ_u) / U = mean over the step
      const micro: TItem[][] = [];
      for (let k = 0; k < o.gradient_accumulation; k++) {
        const first = (stepInEpoch * o.gradient_accumulation + k) * o.kich_thuoc_batch;
        if (first >= n) break;
        micro.push(order.slice(first, first + o.kich_thuoc_batch).map((i) => train[i] as TItem));
      }
      const measures: BatchMeasure[] = micro.map((items) => task.measure(items));
      const stepUnits = measures.reduce((a, m) => a + m.units, 0);
      const stepTokens = measures.reduce((a, m) => a + m.tokens, 0);
      const denominator = Math.max(stepUnits, 1);
      // A non-finite loss (any micro-batch) or gradient norm stops the run before the optimizer step, or
      // skips the step (no update, gradients dropped) with `skip_nonfinite_steps`.
      const stepNumber = progress.global_step + 1;
      let stepLoss = 0;
      const stepMetrics: MetricAccumulator = {};
      let bad: NonFiniteSite | null = null;
      for (const [k, items] of micro.entries()) {
        const out = tidy(() => {
          const result = task.loss(items);
          div(result.loss, denominator).backward();
          return result;
        });
        const microLoss = await out.loss.item();
        out.loss.dispose();
        const microMetrics = await readMetrics(out.metrics);
        if (!Number.isFinite(microLoss)) {
          bad = {
            owner,
            step: stepNumber,
            quantity: 'loss',
            value: microLoss,
            microBatch: { index: k + 1, of: micro.length },
          };
          break;
        }
        stepLoss += microLoss;
        accumulateMetrics(stepMetrics, microMetrics);
      }

      // 3. clip, 4. step, 5. zero-grad
      let gradNorm = Number.NaN;
      if (bad === null) {
        const normTensor = clipGradNorm(params, o.gradient_clip);
        gradNorm = await normTensor.item();
        normTensor.dispose();
        if (!Number.isFinite(gradNorm)) bad = { owner, step: stepNumber, quantity: 'gradient norm', value: gradNorm };
      }
      if (bad !== null && !o.skip_nonfinite_steps) throw new NonFiniteError(bad);
      if (bad === null) optimizer.step(lr);
      optimizer.zeroGrad();

      progress.global_step++;
      stepInEpoch++;
      let epochEnded = false;
      if (stepInEpoch === plan.steps_per_epoch) {
        epochIndex++;
        stepInEpoch = 0;
        order = null;
        progress.epochs_completed = epochIndex;
        epochEnded = true;
      }
      const seconds = (now() - started) / 1000;
      progress.tokens_seen += stepTokens;
      progress.session_tokens += stepTokens;
      progress.session_seconds += seconds;
      window.steps++;
      window.tokens += stepTokens;
      window.seconds += seconds;
      if (bad === null) {
        // A skipped step adds nothing to the loss, units and metrics of the window.
        progress.units_seen += stepUnits;
        window.lossSum += stepLoss;
        window.units += stepUnits;
        window.gradNorm = gradNorm;
        accumulateMetrics(window.metrics, stepMetrics);
      } else {
        progress.skipped_steps++;
        window.skipped++;
      }

      // 6. log / validate / save
      const last = progress.global_step === plan.total_steps;
      if (progress.global_step % o.logging_steps === 0 || last) {
        // Loss: Σ loss / Σ units over the window's applied steps (NaN when every step was skipped).
        const applied = window.steps - window.skipped;
        const record: TrainLogRecord = {
          kind: 'train',
          step: progress.global_step,
          epoch: progress.global_step / plan.steps_per_epoch,
          loss: applied > 0 ? window.lossSum / Math.max(window.units, 1) : Number.NaN,
          learning_rate: lr,
          grad_norm: window.gradNorm ?? Number.NaN,
          tokens_per_second: window.seconds > 0 ? window.tokens / window.seconds : 0,
          metrics: finishMetrics(window.metrics, window.units),
          ...(o.skip_nonfinite_steps ? { skipped_steps: window.skipped } : {}),
        };
        window = emptyWindow();
        keepGoing = (await emit(record)) && keepGoing;
      }
      if (val && (epochEnded || last)) keepGoing = (await emit(await evaluate())) && keepGoing;
      const due = (o.save_steps > 0 && progress.global_step % o.save_steps === 0) || last || !keepGoing;
      if (storage && due) {
        const name = checkpointName(progress.global_step);
        const taskState = task.state ? await task.state.save() : undefined;
        await saveCheckpoint(storage, name, codec, model, optimizer, stateFile(taskState));
        progress.checkpoints.push(name);
      }
      if (!keepGoing) progress.stopped_early = true;
    }
    await checkParameters(owner, model, progress.global_step);
  } finally {
    optimizer.dispose();
    model.zeroGrad();
  }
}
