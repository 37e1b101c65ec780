import { expect } from 'vitest';
import { RlhfError } from '../errors/rlhf-error.js';

/** A typed error's class (an {@link RlhfError} subclass), whatever its constructor takes. */
export interface ErrorClass {
  /** Instances are {@link RlhfError}s. */
  readonly prototype: RlhfError;
  /** The class name, for messages. */
  readonly name: string;
}

/** What a bad-input case must produce. */
export interface TypedErrorExpectation {
  /** The error class expected (an {@link RlhfError} subclass). */
  type: ErrorClass;
  /** The stable `code` expected, when the class has several. */
  code?: string;
  /** Each must occur in the message (the file, record, key or step the error names). */
  mentions: readonly (string | RegExp)[];
  /** Time limit of the whole call (ms): a case that takes longer fails as a hang. Default 10 s. */
  timeoutMs?: number;
}

/**
 * Runs `run` (sync or async) and asserts that it fails with a typed error of the expected class and code
 * whose message names everything in `mentions`, within the time limit. Returns the error. Use it for
 * every case of a bad-input matrix: it fails on a silent success, on a raw (untyped) error and on a
 * hang that yields to the event loop. A synchronous hang cannot be interrupted in-process: run such
 * cases in a child process or worker with a kill timer.
 *
 * @example
 * ```ts
 * await expectTypedError(() => parseConfig('{'), { type: ModelLoadError, mentions: ['config.json'] });
 * ```
 */
export async function expectTypedError(run: () => unknown, expected: TypedErrorExpectation): Promise<RlhfError> {
  const limit = expected.timeoutMs ?? 10_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: no result within ${limit} ms`)), limit);
  });
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
  try {
    const value = await Promise.race([Promise.resolve().then(run), timeout]);
    outcome = { ok: true, value };
  } catch (error) {
    outcome = { ok: false, error };
  } finally {
    clearTimeout(timer);
  }
  if (outcome.ok) {
    expect.fail(`expected ${expected.type.name}, but the call succeeded (silent success on bad input)`);
  }
  const error = (outcome as { error: unknown }).error;
  if (!RlhfError.isInstance(error)) {
    expect.fail(`expected ${expected.type.name}, got an untyped error: ${String((error as Error)?.stack ?? error)}`);
  }
  expect(error, `${error.name}: ${error.message}`).toBeInstanceOf(expected.type);
  if (expected.code !== undefined) expect(error.code).toBe(expected.code);
  for (const m of expected.mentions) {
    if (typeof m === 'string') expect(error.message).toContain(m);
    else expect(error.message).toMatch(m);
  }
  return error;
}
