/**
 * Entry of the page that runs the backend conformance suite on tfjs's webgl backend in Chromium
 * (bundled by `conformance-webgl.test.ts` with `vitest` mapped to ./vitest-shim.ts). Sets
 * `globalThis.__conformance` to every test's outcome when done.
 */
import '@tensorflow/tfjs-backend-webgl';
import { createJsBackend } from '@rlhf/backend-js';
import { describeBackendConformance } from '@rlhf/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { createTfjsBackend } from '../src/index.js';
import { runCollected, type TestOutcome } from './vitest-shim.js';

declare const __TOLERANCE__: Parameters<typeof describeBackendConformance>[2]['tolerance'];

const state = globalThis as unknown as {
  __conformance?: { results: TestOutcome[]; renderer: string; error?: string };
};

describeBackendConformance('tfjs-webgl', () => createTfjsBackend({ tf, backendName: 'webgl' }), {
  reference: createJsBackend({ precision: 'float64' }),
  tolerance: __TOLERANCE__,
});

runCollected().then(
  (results) => {
    const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
    const info = gl?.getExtension('WEBGL_debug_renderer_info');
    const renderer = gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'unknown';
    state.__conformance = { results, renderer };
  },
  (error) => {
    state.__conformance = { results: [], renderer: 'unknown', error: String(error) };
  },
);
