/**
 * A training log record, made every `logging_steps` optimizer steps: the mean loss over the target units of
 * the window, the learning rate of the last step, its gradient norm (before clipping), throughput, and the
 * task's own metrics (DPO's rewards, ...) as means per unit. The same object goes to the callback.
 */
export interface TrainLogRecord {
  /** Discriminant: a training record. */
  kind: 'train';
  /** Optimizer steps done. */
  step: number;
  /** Epochs done, fractional (`step / steps_per_epoch`). */
  epoch: number;
  /** Mean loss per target unit (token, pair) over the window's steps. */
  loss: number;
  /** Learning rate used by the last step of the window. */
  learning_rate: number;
  /** Global gradient norm of the window's last applied step, before clipping (NaN when all were skipped). */
  grad_norm: number;
  /** Input tokens per second over the window (wall clock; not reproducible). */
  tokens_per_second: number;
  /** Task metrics over the window, each by its reduction (mean per unit, sum, min, max). */
  metrics: Record<string, number>;
  /** Steps of the window skipped for a non-finite loss or gradient norm (only with `skip_nonfinite_steps`). */
  skipped_steps?: number;
}

/** An evaluation record, made after each epoch when there is validation data (and at step 0 with `eval_on_start`). */
export interface EvalLogRecord {
  /** Discriminant: an evaluation record. */
  kind: 'eval';
  /** Optimizer steps done when the evaluation ran. */
  step: number;
  /** Epochs done, fractional. */
  epoch: number;
  /** Mean loss per target unit over the whole validation set. */
  val_loss: number;
  /** Task extras (`val_perplexity`, ...) and metrics prefixed `val_`. */
  metrics: Record<string, number>;
}

/** Any record of the history. */
export type LogRecord = TrainLogRecord | EvalLogRecord;

/**
 * The history of a run in columns (as the specification's result shows it) plus every record in order. Train columns
 * share indices (`train_loss[i]` was logged at `step[i]`); validation columns share theirs.
 */
export interface TrainingHistory {
  /** Mean training loss of each train record. */
  train_loss: number[];
  /** Learning rate of each train record. */
  learning_rate: number[];
  /** Gradient norm (before clipping) of each train record. */
  grad_norm: number[];
  /** Step of each train entry. */
  step: number[];
  /** Validation loss of each eval record. */
  val_loss: number[];
  /** Step of each validation entry. */
  val_step: number[];
  /** Task metric columns (one value per train entry), by name. */
  metrics: Record<string, number[]>;
  /** Skipped steps of each train record (only with `skip_nonfinite_steps`). */
  skipped_steps?: number[];
  /** Every record, in the order they were made. */
  records: LogRecord[];
}

/**
 * An empty {@link TrainingHistory}.
 *
 * @example
 * ```ts
 * const h = emptyHistory(); // { train_loss: [], ..., records: [] }
 * ```
 */
export function emptyHistory(): TrainingHistory {
  return {
    train_loss: [],
    learning_rate: [],
    grad_norm: [],
    step: [],
    val_loss: [],
    val_step: [],
    metrics: {},
    records: [],
  };
}

/**
 * Appends a record to a history, filling the columns.
 *
 * @example
 * ```ts
 * appendRecord(history, { kind: 'eval', step: 10, epoch: 1, val_loss: 2.3, metrics: {} });
 * ```
 */
export function appendRecord(history: TrainingHistory, record: LogRecord): void {
  history.records.push(record);
  if (record.kind === 'eval') {
    history.val_loss.push(record.val_loss);
    history.val_step.push(record.step);
    return;
  }
  history.train_loss.push(record.loss);
  history.learning_rate.push(record.learning_rate);
  history.grad_norm.push(record.grad_norm);
  history.step.push(record.step);
  if (record.skipped_steps !== undefined)
    history.skipped_steps = [...(history.skipped_steps ?? []), record.skipped_steps];
  for (const [name, value] of Object.entries(record.metrics)) {
    const column = history.metrics[name] ?? [];
    column.push(value);
    history.metrics[name] = column;
  }
}

/**
 * A deep copy (records are plain data), so callers may keep or change it freely.
 *
 * @example
 * ```ts
 * const snapshot = cloneHistory(history);
 * ```
 */
export function cloneHistory(history: TrainingHistory): TrainingHistory {
  const metrics: Record<string, number[]> = {};
  for (const [name, column] of Object.entries(history.metrics)) metrics[name] = [...column];
  return {
    train_loss: [...history.train_loss],
    learning_rate: [...history.learning_rate],
    grad_norm: [...history.grad_norm],
    step: [...history.step],
    val_loss: [...history.val_loss],
    val_step: [...history.val_step],
    metrics,
    ...(history.skipped_steps ? { skipped_steps: [...history.skipped_steps] } : {}),
    records: history.records.map((r) => ({ ...r, metrics: { ...r.metrics } })),
  };
}
