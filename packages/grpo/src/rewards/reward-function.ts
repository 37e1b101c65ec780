import { InvalidArgumentError } from '@rlhf/core';
import { RewardFunctionError } from '../errors/reward-function-error.js';

/**
 * A reward: one number per completion, given the prompts and completions (texts, same length, prompt i
 * belongs to completion i). Sync or async; any JavaScript (a regex, a unit test, a JSON-schema check, a call
 * into your own code). Its `name` labels its logged mean and std (`rewards/<name>/mean`).
 */
export type RewardFunction = (prompts: string[], completions: string[]) => number[] | Promise<number[]>;

/** A reward function with the name it is logged under. */
export interface NamedReward {
  /** The name in logs and errors. */
  name: string;
  /** The function. */
  fn: RewardFunction;
}

/**
 * The name a reward function is logged under: its `name` when it has one, else `reward_<index>`.
 *
 * @example
 * ```ts
 * rewardName(function contains_big() { return []; }, 0); // 'contains_big'
 * ```
 */
export function rewardName(fn: unknown, index: number): string {
  const name = typeof fn === 'function' ? (fn as { name?: string }).name : undefined;
  return name && name.length > 0 ? name : `reward_${index}`;
}

/**
 * Checks a list of reward functions (non-empty, each a function) and gives each its logged name (unique:
 * a repeated name gets `_<index>`).
 *
 * @example
 * ```ts
 * const named = namedRewards('GRPOTrainer.huan_luyen', [lengthReward]);
 * ```
 */
export function namedRewards(method: string, funcs: readonly RewardFunction[]): NamedReward[] {
  if (!Array.isArray(funcs) || funcs.length === 0)
    throw new InvalidArgumentError(method, 'reward_funcs', funcs, 'must be a non-empty list of reward functions');
  const seen = new Set<string>();
  return funcs.map((fn, i) => {
    if (typeof fn !== 'function')
      throw new InvalidArgumentError(
        method,
        `reward_funcs[${i}]`,
        fn,
        'must be a function (prompts, completions) => number[]',
      );
    let name = rewardName(fn, i);
    if (seen.has(name)) name = `${name}_${i}`;
    seen.add(name);
    return { name, fn };
  });
}

/**
 * Calls every reward function on a batch and checks its answer: a {@link RewardFunctionError} naming the
 * function and step when it throws, returns a non-array or a list of another length, or a value that is not
 * a finite number. Returns one list per function, in order.
 *
 * @example
 * ```ts
 * const perFunction = await scoreRewards('GRPOTrainer', named, prompts, completions, 3);
 * ```
 */
export async function scoreRewards(
  owner: string,
  rewards: readonly NamedReward[],
  prompts: string[],
  completions: string[],
  step: number,
): Promise<number[][]> {
  const out: number[][] = [];
  for (const [index, { name, fn }] of rewards.entries()) {
    const fail = (problem: string, cause?: unknown) =>
      new RewardFunctionError(
        { owner, functionName: name, index, step, batchSize: completions.length, problem },
        cause === undefined ? undefined : { cause },
      );
    let values: unknown;
    try {
      values = await fn([...prompts], [...completions]);
    } catch (error) {
      throw fail(`it threw: ${(error as Error)?.message ?? String(error)}`, error);
    }
    if (!Array.isArray(values) && !ArrayBuffer.isView(values))
      throw fail(`it returned ${values === null ? 'null' : typeof values}, not a list`);
    const list = Array.from(values as ArrayLike<unknown>);
    if (list.length !== completions.length)
      throw fail(`it returned ${list.length} values for ${completions.length} completions`);
    const bad = list.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
    if (bad >= 0) throw fail(`value ${bad} is ${String(list[bad])}`);
    out.push(list as number[]);
  }
  return out;
}
