/**
 * `@rlhf/backend-tfjs`: the backend specification on TensorFlow.js kernels (`@tensorflow/tfjs-core`),
 * on whichever tfjs backend the program loads — `cpu` or `wasm` in Node, `webgl` or `webgpu` in
 * browsers. Gradients stay in `@rlhf/core`: tfjs runs forward kernels only. No Node built-ins.
 *
 * @packageDocumentation
 */
export { isWebGLContextLost } from './context-loss.js';
export { createBackend, createTfjsBackend, type TfjsBackendOptions } from './create-tfjs-backend.js';
export type { NanQuirks } from './nan-quirks.js';
export { registeredTfjsBackends } from './select-tfjs-backend.js';
export { TfjsBackend } from './tfjs-backend.js';
export { TfjsBackendNotFoundError, TfjsUnsupportedDTypeError, WebGLContextLostError } from './tfjs-errors.js';
export type { Tfjs, TfTensor } from './tfjs-types.js';
