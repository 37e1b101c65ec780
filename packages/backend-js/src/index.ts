/**
 * `@rlhf/backend-js`: the reference backend — every kernel of core's backend specification in plain
 * TypeScript on typed arrays. Zero dependencies besides `@rlhf/core`; runs in Node and in browsers. Its
 * float64 mode is the oracle for finite-difference gradient checks.
 *
 * @packageDocumentation
 */
export { createJsBackend, JsBackend, type JsBackendOptions } from './js-backend.js';
