/**
 * Just enough of vitest's test API (describe, it, beforeAll, afterAll, expect) for the conformance suite
 * of `@rlhf/core/testing` to run in a browser page: the bundle of `conformance-page.ts` maps the `vitest`
 * import here. `expect` is vitest's own (the `@vitest/expect` matchers on chai); the runner is a plain
 * sequential walk of the registered tree.
 */
import {
  ASYMMETRIC_MATCHERS_OBJECT,
  chai,
  JestAsymmetricMatchers,
  JestChaiExpect,
  JestExtend,
  setState,
} from '@vitest/expect';

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

type Fn = () => unknown;
interface Suite {
  name: string;
  children: (Suite | TestCase)[];
  beforeAll: Fn[];
  afterAll: Fn[];
}
interface TestCase {
  name: string;
  fn: Fn;
}

/** One test's outcome. */
export interface TestResult {
  name: string;
  ok: boolean;
  error?: string;
  ms: number;
}

const root: Suite = { name: '', children: [], beforeAll: [], afterAll: [] };
let current = root;

export function describe(name: string, fn: () => void): void {
  const suite: Suite = { name, children: [], beforeAll: [], afterAll: [] };
  current.children.push(suite);
  const parent = current;
  current = suite;
  try {
    fn();
  } finally {
    current = parent;
  }
}

export function it(name: string, fn: Fn): void {
  current.children.push({ name, fn });
}
export const test = it;

export function beforeAll(fn: Fn): void {
  current.beforeAll.push(fn);
}

export function afterAll(fn: Fn): void {
  current.afterAll.push(fn);
}

type Expect = ((value: unknown, message?: string) => Chai.Assertion) & Record<string, unknown>;
export const expect = ((value: unknown, message?: string) => chai.expect(value, message)) as unknown as Expect;
Object.assign(expect, chai.expect);
Object.assign(expect, (globalThis as Record<symbol, object>)[ASYMMETRIC_MATCHERS_OBJECT]);
setState(
  {
    assertionCalls: 0,
    isExpectingAssertions: false,
    isExpectingAssertionsError: null,
    expectedAssertionsNumber: null,
    expectedAssertionsNumberErrorGen: null,
    testPath: 'browser',
    currentTestName: '',
  },
  expect as never,
);

/** Runs every registered test in order; `onResult` hears each outcome as it comes. */
export async function runRegistered(onResult?: (r: TestResult) => void): Promise<TestResult[]> {
  const results: TestResult[] = [];
  const walk = async (suite: Suite, prefix: string): Promise<void> => {
    const path = suite.name ? `${prefix}${suite.name} > ` : prefix;
    let setupError: string | undefined;
    for (const hook of suite.beforeAll) {
      try {
        await hook();
      } catch (error) {
        setupError = `beforeAll: ${String((error as Error)?.stack ?? error)}`;
      }
    }
    for (const child of suite.children) {
      if ('children' in child) {
        await walk(child, path);
        continue;
      }
      const start = performance.now();
      let result: TestResult;
      if (setupError) {
        result = { name: path + child.name, ok: false, error: setupError, ms: 0 };
      } else {
        try {
          await child.fn();
          result = { name: path + child.name, ok: true, ms: performance.now() - start };
        } catch (error) {
          const e = error as Error;
          result = {
            name: path + child.name,
            ok: false,
            error: `${e?.message ?? String(error)}`,
            ms: performance.now() - start,
          };
        }
      }
      results.push(result);
      onResult?.(result);
    }
    for (const hook of suite.afterAll) await hook();
  };
  await walk(root, '');
  return results;
}
