/**
 * `@rlhf/backend-js`: the reference backend — every kernel of core's backend specification in plain
 * TypeScript on typed arrays. Zero dependencies besides `@rlhf/core`; runs in Node and in browsers. Its
 * float64 mode is the oracle for finite-difference gradient checks.
 *
 * @packageDocumentation
 */
import { registerBackend } from '@rlhf/core';
import { createJsBackend } from './js-backend.js';

export { createJsBackend, JsBackend, type JsBackendOptions } from './js-backend.js';

// Importing the package makes `resolveBackend('js')` find it, in Node and inside a browser bundle alike.
registerBackend('js', () => createJsBackend());
