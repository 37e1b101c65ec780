import { RlhfError } from '../errors/rlhf-error.js';

/** What was found non-finite. */
export type NonFiniteQuantity = 'loss' | 'gradient norm' | 'parameter' | 'optimizer state';

/** A micro-batch of an optimizer step. */
export interface MicroBatchPosition {
  /** 1-based index in the step. */
  index: number;
  /** Micro-batches in the step. */
  of: number;
}

/** Where it was found. */
export interface NonFiniteSite {
  /** The trainer (`'SFTTrainer'`). */
  owner: string;
  /** The 1-based optimizer step being computed (the step a log record of it would carry). */
  step: number;
  /** The quantity that is NaN or ±Infinity. */
  quantity: NonFiniteQuantity;
  /** Its value (`NaN`, `Infinity`, `-Infinity`). */
  value: number;
  /** 1-based micro-batch of the step and the step's micro-batch count, for a loss. */
  microBatch?: MicroBatchPosition;
  /** The tensor, for a parameter or optimizer state. */
  tensor?: string;
}

/**
 * A training run produced a NaN or infinite loss, gradient norm, parameter or optimizer moment. Thrown
 * before the optimizer applies the step, so the parameters are never updated with it, and before any
 * checkpoint or model is written from that state. The message names the step, the micro-batch or tensor,
 * the quantity and its value; the same facts are fields. `skip_nonfinite_steps: true` skips such steps
 * instead (a non-finite parameter always stops the run).
 *
 * @example
 * ```ts
 * try {
 *   await new SFTTrainer({ toc_do_hoc: 1e30 }).huan_luyen(model, data);
 * } catch (e) {
 *   if (NonFiniteError.isInstance(e)) console.error(e.message);
 *   // SFTTrainer: the loss of micro-batch 1/4 at step 2 is NaN; ...
 * }
 * ```
 */
export class NonFiniteError extends RlhfError {
  /** The trainer. */
  readonly owner: string;
  /** The 1-based optimizer step. */
  readonly step: number;
  /** What was non-finite. */
  readonly quantity: NonFiniteQuantity;
  /** Its value. */
  readonly value: number;
  /** The micro-batch, for a loss. */
  readonly microBatch: MicroBatchPosition | null;
  /** The tensor, for a parameter or optimizer state. */
  readonly tensor: string | null;

  /** Builds the error from where the non-finite value appeared: step, micro-batch, quantity and value. */
  constructor(site: NonFiniteSite) {
    const what =
      site.quantity === 'loss'
        ? `the loss of micro-batch ${site.microBatch?.index ?? '?'}/${site.microBatch?.of ?? '?'}`
        : site.tensor !== undefined
          ? `the ${site.quantity} '${site.tensor}'`
          : `the ${site.quantity}`;
    const after = site.quantity === 'parameter' || site.quantity === 'optimizer state' ? 'after' : 'at';
    super(
      'NON_FINITE',
      `${site.owner}: ${what} ${after} step ${site.step} is ${String(site.value)}; training stopped ` +
        `(parameters were not updated with it and nothing was saved from it). Lower toc_do_hoc or check the ` +
        `loss options (beta, ...) and the data; set skip_nonfinite_steps: true to skip such steps instead.`,
    );
    this.owner = site.owner;
    this.step = site.step;
    this.quantity = site.quantity;
    this.value = site.value;
    this.microBatch = site.microBatch ?? null;
    this.tensor = site.tensor ?? null;
  }
}
