import { RlhfError } from '../errors/rlhf-error.js';

/**
 * A checkpoint cannot be written, found or used: missing, unreadable, or from a run that does not match
 * this one (another model, another dataset size). The message names the checkpoint.
 *
 * @example
 * ```ts
 * throw new CheckpointError('out/checkpoint-5', 'was written for 120 training examples, this run has 80');
 * ```
 */
export class CheckpointError extends RlhfError {
  /** Builds the error from the checkpoint and what is wrong with it. */
  constructor(
    /** The checkpoint (name or path). */
    readonly checkpoint: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super('CHECKPOINT_INVALID', `Checkpoint '${checkpoint}' ${reason}.`, options);
  }
}
