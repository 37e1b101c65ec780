import { RlhfError } from '@rlhf/core';

/** Where a reward function failed: which function, at which step and generation batch. */
export interface RewardFunctionFailure {
  /** The trainer (`'GRPOTrainer'`). */
  owner: string;
  /** The function's name (its `name`, or `reward_funcs[i]` for an anonymous one). */
  functionName: string;
  /** Its index in `reward_funcs`. */
  index: number;
  /** The optimizer step the batch was generated for (1-based). */
  step: number;
  /** Completions in the batch. */
  batchSize: number;
  /** What went wrong. */
  problem: string;
}

/**
 * A reward function threw, returned something that is not a list of numbers of the batch's length, or
 * returned NaN / ±Infinity. The message names the function (its `name` or index), the step and what was
 * wrong; nothing has been updated for that step (checkpoints already written stay valid).
 *
 * @example
 * ```ts
 * try { await trainer.huan_luyen(model, null, prompts, [badReward]); }
 * catch (e) { if (e instanceof RewardFunctionError) console.error(e.functionName, e.step); }
 * ```
 */
export class RewardFunctionError extends RlhfError {
  /** The function's name. */
  readonly functionName: string;
  /** Its index in `reward_funcs`. */
  readonly index: number;
  /** The step of the batch. */
  readonly step: number;

  constructor(f: RewardFunctionFailure, options?: { cause?: unknown }) {
    super(
      'REWARD_FUNCTION',
      `${f.owner}: reward function '${f.functionName}' (reward_funcs[${f.index}]) at step ${f.step} (a batch of ${f.batchSize} completions): ${f.problem}; expected a finite number per completion`,
      options,
    );
    this.functionName = f.functionName;
    this.index = f.index;
    this.step = f.step;
  }
}
