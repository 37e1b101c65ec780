/**
 * The conformance suite as a browser page script: bundled with `vitest` mapped to `vitest-shim.ts`, it
 * registers `describeBackendConformance` on the page's `navigator.gpu`, runs it, and leaves the results on
 * `globalThis.__conformance` (with `__adapter` naming the adapter) for the driver to read.
 */
import { createJsBackend } from '@rlhf/backend-js';
import { describeBackendConformance } from '@rlhf/core/testing';
import { createWebGpuBackend } from '../index.js';
import { runRegistered, type TestResult } from './vitest-shim.js';

const page = globalThis as unknown as {
  __conformance?: { done: boolean; results: TestResult[]; adapter?: string; error?: string };
};
page.__conformance = { done: false, results: [] };
const state = page.__conformance;

describeBackendConformance(
  'webgpu (browser)',
  async () => {
    const backend = await createWebGpuBackend();
    state.adapter = backend.adapterInfo;
    return backend;
  },
  { reference: createJsBackend({ precision: 'float64' }) },
);

runRegistered((r) => state.results.push(r))
  .catch((error: unknown) => {
    state.error = String((error as Error)?.stack ?? error);
  })
  .finally(() => {
    state.done = true;
  });
