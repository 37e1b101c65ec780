/**
 * The part of vitest's API that `@rlhf/core/testing` uses (describe, it, beforeAll, afterAll, expect),
 * for running the conformance suite inside a browser page: tests are collected when the suite is
 * registered and run one after the other by {@link runCollected}. `expect` is vitest's own matchers
 * (`@vitest/expect`) on chai.
 */
import { chai, JestAsymmetricMatchers, JestChaiExpect, JestExtend } from '@vitest/expect';

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

/** vitest-style `expect` (jest matchers on chai). */
export const expect = chai.expect as unknown as typeof import('vitest').expect;

type Fn = () => unknown;
interface Block {
  title: string;
  before: Fn[];
  after: Fn[];
  children: (Block | { title: string; fn: Fn })[];
}

const root: Block = { title: '', before: [], after: [], children: [] };
let current = root;

export function describe(title: string, body: () => void): void {
  const block: Block = { title, before: [], after: [], children: [] };
  current.children.push(block);
  const parent = current;
  current = block;
  try {
    body();
  } finally {
    current = parent;
  }
}

export function it(title: string, fn: Fn): void {
  current.children.push({ title, fn });
}
export const test = it;

export function beforeAll(fn: Fn): void {
  current.before.push(fn);
}

export function afterAll(fn: Fn): void {
  current.after.push(fn);
}

/** Outcome of one test. */
export interface TestOutcome {
  name: string;
  ok: boolean;
  error?: string;
  ms: number;
}

/** Runs every collected test in order (hooks of each block around its tests); never throws. */
export async function runCollected(onResult?: (r: TestOutcome) => void): Promise<TestOutcome[]> {
  const results: TestOutcome[] = [];
  const run = async (block: Block, path: string[]): Promise<void> => {
    const names = block.title ? [...path, block.title] : path;
    try {
      for (const hook of block.before) await hook();
    } catch (error) {
      const r = { name: `${names.join(' > ')} (beforeAll)`, ok: false, error: String(error), ms: 0 };
      results.push(r);
      onResult?.(r);
      return;
    }
    for (const child of block.children) {
      if ('fn' in child) {
        const t0 = performance.now();
        let r: TestOutcome;
        try {
          await child.fn();
          r = { name: [...names, child.title].join(' > '), ok: true, ms: performance.now() - t0 };
        } catch (error) {
          const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          r = { name: [...names, child.title].join(' > '), ok: false, error: message, ms: performance.now() - t0 };
        }
        results.push(r);
        onResult?.(r);
      } else {
        await run(child, names);
      }
    }
    for (const hook of block.after) await hook();
  };
  await run(root, []);
  return results;
}
