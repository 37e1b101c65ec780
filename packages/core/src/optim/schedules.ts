import { InvalidArgumentError } from '../errors/tensor-errors.js';

/** A learning-rate schedule: the rate for the optimizer step that follows `step` completed steps. */
export type LearningRateSchedule = (step: number) => number;

/** Options shared by the schedules. */
export interface ScheduleOptions {
  /** Peak learning rate. */
  lr: number;
  /** Optimizer steps of linear warm-up from 0 to `lr`. @defaultValue 0 */
  warmupSteps?: number;
  /** Total optimizer steps of the run. */
  totalSteps: number;
}

function check(options: ScheduleOptions): number {
  const warmup = options.warmupSteps ?? 0;
  if (!(options.totalSteps > 0))
    throw new InvalidArgumentError('schedule', 'totalSteps', options.totalSteps, 'must be > 0');
  if (!(warmup >= 0)) throw new InvalidArgumentError('schedule', 'warmupSteps', warmup, 'must be ≥ 0');
  return warmup;
}

/** Linear warm-up factor `step / warmup` (Hugging Face's schedules, `transformers.optimization`). */
function warm(step: number, warmup: number): number | null {
  return step < warmup ? step / Math.max(1, warmup) : null;
}

/**
 * Constant rate after linear warm-up (`get_constant_schedule_with_warmup`).
 *
 * @example
 * ```ts
 * const lrAt = constantSchedule({ lr: 1e-4, warmupSteps: 10, totalSteps: 100 });
 * ```
 */
export function constantSchedule(options: ScheduleOptions): LearningRateSchedule {
  const warmup = check(options);
  return (step) => options.lr * (warm(step, warmup) ?? 1);
}

/**
 * Linear warm-up, then linear decay to 0 at `totalSteps` (`get_linear_schedule_with_warmup`):
 * `lr · step/warmup` while warming up, then `lr · max(0, (total − step) / (total − warmup))`.
 *
 * @example
 * ```ts
 * const lrAt = linearSchedule({ lr: 2e-5, warmupSteps: 10, totalSteps: 100 });
 * lrAt(10); // 2e-5
 * ```
 */
export function linearSchedule(options: ScheduleOptions): LearningRateSchedule {
  const warmup = check(options);
  const total = options.totalSteps;
  return (step) => options.lr * (warm(step, warmup) ?? Math.max(0, (total - step) / Math.max(1, total - warmup)));
}

/**
 * Linear warm-up, then half a cosine down to 0 (`get_cosine_schedule_with_warmup`, SGDR — Loshchilov &
 * Hutter 2017): `lr · ½(1 + cos(π · progress))`, progress = (step − warmup)/(total − warmup).
 *
 * @example
 * ```ts
 * const lrAt = cosineSchedule({ lr: 3e-4, warmupSteps: 100, totalSteps: 1000 });
 * ```
 */
export function cosineSchedule(options: ScheduleOptions): LearningRateSchedule {
  const warmup = check(options);
  const total = options.totalSteps;
  return (step) => {
    const w = warm(step, warmup);
    if (w !== null) return options.lr * w;
    const progress = (step - warmup) / Math.max(1, total - warmup);
    return options.lr * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
  };
}
