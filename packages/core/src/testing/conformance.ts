import { afterAll, beforeAll, describe } from 'vitest';
import type { TensorBackend } from '../backend/backend-spec.js';
import { describeBroadcasting } from './broadcasting.js';
import {
  type ConformanceTolerances,
  DEFAULT_TOLERANCES,
  type ReferenceBackend,
  type SuiteContext,
  type Tolerance,
} from './context.js';
import { describeDTypesAndSpecials } from './dtypes-and-specials.js';
import { describeEdgeShapes } from './edge-shapes.js';
import { describeFusedKernels } from './fused-kernels.js';
import { describeCompositeGradients } from './gradients-composites.js';
import { describePrimitiveGradients } from './gradients-primitives.js';
import { describeMemoryAndErrors } from './memory.js';
import { describeStorage } from './storage.js';
import { describeElementwiseValues } from './values-elementwise.js';
import { describeStructureValues } from './values-structure.js';

/** Options of {@link describeBackendConformance}. */
export interface ConformanceOptions {
  /** The float64 oracle for finite-difference gradients and reference values. */
  reference: ReferenceBackend;
  /** Overrides of {@link DEFAULT_TOLERANCES} (per field). */
  tolerance?: Partial<Omit<ConformanceTolerances, 'fdStep'>> & {
    /** Step of the central differences (see {@link ConformanceTolerances.fdStep}). */
    fdStep?: number;
  };
}

function mergeTolerances(overrides: ConformanceOptions['tolerance'] = {}): ConformanceTolerances {
  const pick = (key: 'value' | 'gradient' | 'reference'): Tolerance => ({
    ...DEFAULT_TOLERANCES[key],
    ...overrides[key],
  });
  return {
    value: pick('value'),
    gradient: pick('gradient'),
    reference: pick('reference'),
    fdStep: overrides.fdStep ?? DEFAULT_TOLERANCES.fdStep,
  };
}

/**
 * Registers the backend conformance suite with vitest: every primitive against hand-computed values,
 * every differentiable primitive's and composite op's gradient against float64 central differences
 * (test titles `grad: <op>`), fused kernels against core's composition, broadcasting, edge shapes
 * (size 0 and 1, rank 0–4), dtype rules, NaN/∞ propagation, memory flat over training steps, and
 * errors for disposed or mixed-backend tensors. A backend is done when this suite is green on it.
 *
 * `makeBackend` is called twice (once for the backend under test, once for a second instance used to
 * check that mixing backends throws `BackendMismatchError` of `@rlhf/core`).
 *
 * @example
 * ```ts
 * // packages/backend-js/src/conformance.test.ts
 * import { describeBackendConformance } from '@rlhf/core/testing';
 * import { createJsBackend } from './index.js';
 *
 * describeBackendConformance('js', () => createJsBackend(), {
 *   reference: createJsBackend({ precision: 'float64' }),
 * });
 * ```
 */
export function describeBackendConformance(
  name: string,
  makeBackend: () => TensorBackend | Promise<TensorBackend>,
  options: ConformanceOptions,
): void {
  let backend: TensorBackend | undefined;
  let other: TensorBackend | undefined;
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('describeBackendConformance: the backend is not created yet');
    return value;
  };
  const ctx: SuiteContext = {
    backend: () => ready(backend),
    otherBackend: () => ready(other),
    reference: () => options.reference,
    tolerance: mergeTolerances(options.tolerance),
    passedGradientChecks: [],
  };

  describe(`backend conformance: ${name}`, () => {
    beforeAll(async () => {
      backend = await makeBackend();
      other = await makeBackend();
    });
    afterAll(() => {
      // The test runner's summary does not list passing tests; this names every gradient-checked op.
      const checks = ctx.passedGradientChecks;
      // (core compiles without DOM or Node typings, so `console` is reached through globalThis)
      (globalThis as { console?: { log(message: string): void } }).console?.log(
        `[conformance: ${name}] ${checks.length} finite-difference gradient checks passed:\n  ${checks.join('\n  ')}`,
      );
    });
    describeStorage(ctx);
    describeElementwiseValues(ctx);
    describeStructureValues(ctx);
    describePrimitiveGradients(ctx);
    describeCompositeGradients(ctx);
    describeFusedKernels(ctx);
    describeBroadcasting(ctx);
    describeEdgeShapes(ctx);
    describeDTypesAndSpecials(ctx);
    describeMemoryAndErrors(ctx);
  });
}
