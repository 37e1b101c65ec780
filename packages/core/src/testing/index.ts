/**
 * `@rlhf/core/testing`: the backend conformance suite every backend runs, and the finite-difference
 * helpers it is built on. Needs vitest (an optional peer dependency of `@rlhf/core`).
 *
 * @example
 * ```ts
 * import { describeBackendConformance } from '@rlhf/core/testing';
 * describeBackendConformance('js', () => createJsBackend(), { reference: createJsBackend({ precision: 'float64' }) });
 * ```
 *
 * @packageDocumentation
 */
export { type ConformanceOptions, describeBackendConformance } from './conformance.js';
export {
  type ConformanceTolerances,
  DEFAULT_TOLERANCES,
  type ReferenceBackend,
  type Tolerance,
} from './context.js';
export { type ErrorClass, expectTypedError, type TypedErrorExpectation } from './expect-typed-error.js';
export {
  evaluateFloat64,
  type FunctionInput,
  finiteDifferenceGradient,
  type TensorFunction,
} from './finite-difference.js';
export { withoutWallClock } from './without-wall-clock.js';
