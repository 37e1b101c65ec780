/**
 * Entry of the page that runs the backend conformance suite on tfjs's webgl backend in Chromium
 * (bundled by `conformance-webgl.test.ts` with `vitest` mapped to ./vitest-shim.ts). Sets
 * `globalThis.__conformance` to every test's outcome when done.
 */
import '@tensorflow/tfjs-backend-webgl';
import { createJsBackend } from '@rlhf/backend-js';
import { describeBackendConformance } from '@rlhf/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { createTfjsBackend, WebGLContextLostError } from '../src/index.js';
import { describe, expect, it, runCollected, type TestOutcome } from './vitest-shim.js';

declare const __TOLERANCE__: Parameters<typeof describeBackendConformance>[2]['tolerance'];

const state = globalThis as unknown as {
  __conformance?: { results: TestOutcome[]; renderer: string; error?: string };
};

let renderer = 'unknown';
describeBackendConformance(
  'tfjs-webgl',
  async () => {
    const backend = await createTfjsBackend({ tf, backendName: 'webgl' });
    const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
    const info = gl?.getExtension('WEBGL_debug_renderer_info');
    if (gl && info) renderer = String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL));
    return backend;
  },
  {
    reference: createJsBackend({ precision: 'float64' }),
    tolerance: __TOLERANCE__,
  },
);

// Last, since it destroys tfjs's WebGL context: a real context loss (WEBGL_lose_context) is reported as
// WebGLContextLostError by the next read.
describe('tfjs-webgl: context loss', () => {
  it('a read after the WebGL context is lost throws WebGLContextLostError', async () => {
    const backend = await createTfjsBackend({ tf, backendName: 'webgl' });
    const x = backend.write(new Float32Array([1, 2, 3]), [3], 'float32');
    expect(Array.from(await backend.read(x))).toEqual([1, 2, 3]);
    const gl = (tf.backend() as unknown as { gpgpu: { gl: WebGLRenderingContext } }).gpgpu.gl;
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    const y = backend.unary('exp', x);
    let caught: unknown;
    try {
      await backend.read(y);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WebGLContextLostError);
    expect((caught as WebGLContextLostError).code).toBe('TFJS_WEBGL_CONTEXT_LOST');
  });
});

runCollected().then(
  (results) => {
    state.__conformance = { results, renderer };
  },
  (error) => {
    state.__conformance = { results: [], renderer: 'unknown', error: String(error) };
  },
);
