/// <reference types="node" />
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RlhfError } from '@rlhf/core';
import type { RewardFunction } from '../rewards/reward-function.js';

/** A reward module could not be loaded, or its default export is not a function. */
export class RewardModuleError extends RlhfError {
  constructor(
    /** The module's path, as given. */
    readonly path: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super('REWARD_MODULE', `reward module ${path} ${reason}`, options);
  }
}

/**
 * Imports a JavaScript module from a path the user gave (the `--reward-module FILE.mjs` flag) and returns
 * its default export, which must be a reward function `(prompts, completions) => number[]`. It is named
 * after the file when the function has no name. Code is loaded only from such a path, never from a data
 * file or a config key.
 *
 * @example
 * ```ts
 * const reward = await loadRewardModule('rewards/contains-big.mjs');
 * ```
 */
export async function loadRewardModule(path: string): Promise<RewardFunction> {
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
  } catch (error) {
    throw new RewardModuleError(path, `could not be loaded: ${(error as Error).message}`, { cause: error });
  }
  const fn = mod.default;
  if (typeof fn !== 'function')
    throw new RewardModuleError(
      path,
      `has no default export that is a function (got ${typeof fn}); expected export default (prompts, completions) => number[]`,
    );
  if (!fn.name || fn.name === 'default') {
    const base = path.replace(/^.*[\\/]/, '').replace(/\.[cm]?js$/, '');
    Object.defineProperty(fn, 'name', { value: base });
  }
  return fn as RewardFunction;
}
