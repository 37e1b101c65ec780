/**
 * `@rlhf/backend-tfjs`: the backend specification on TensorFlow.js kernels (`@tensorflow/tfjs-core`),
 * on whichever tfjs backend the program loads — `cpu` or `wasm` in Node, `webgl` or `webgpu` in
 * browsers. Gradients stay in `@rlhf/core`: tfjs runs forward kernels only. No Node built-ins of its
 * own; importing it registers `tfjs` with `resolveBackend`.
 *
 * @packageDocumentation
 */
import { registerBackend } from '@rlhf/core';
import { createBackend } from './create-tfjs-backend.js';

export { isWebGLContextLost } from './context-loss.js';
export { createBackend, createTfjsBackend, type TfjsBackendOptions } from './create-tfjs-backend.js';
export type { NanQuirks } from './nan-quirks.js';
export { registeredTfjsBackends } from './select-tfjs-backend.js';
export { TfjsBackend } from './tfjs-backend.js';
export { TfjsBackendNotFoundError, TfjsUnsupportedDTypeError, WebGLContextLostError } from './tfjs-errors.js';
export type { Tfjs, TfTensor } from './tfjs-types.js';

// Importing the package makes `resolveBackend('tfjs')` find it, in Node and inside a browser bundle alike
// (on the tfjs backend the program registered: webgl or webgpu in browsers, else wasm or cpu in Node).
registerBackend('tfjs', () => createBackend());
