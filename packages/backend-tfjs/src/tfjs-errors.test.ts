import '@tensorflow/tfjs-backend-cpu';
import { RlhfError, tensor } from '@rlhf/core';
import { expectTypedError } from '@rlhf/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  createTfjsBackend,
  isWebGLContextLost,
  registeredTfjsBackends,
  type Tfjs,
  TfjsBackend,
  TfjsBackendNotFoundError,
  TfjsUnsupportedDTypeError,
  WebGLContextLostError,
} from './index.js';

/** A stand-in for tfjs's webgl backend object: its context at `gpgpu.gl`. */
const webglLike = (lost: boolean) => ({ gpgpu: { gl: { isContextLost: () => lost } } });

describe('tfjs backend: typed errors', () => {
  it('a tfjs backend that is not registered throws TfjsBackendNotFoundError naming it and the registered ones', async () => {
    expect(registeredTfjsBackends(tf)).toContain('cpu');
    await expectTypedError(() => createTfjsBackend({ tf, backendName: 'webgl' }), {
      type: TfjsBackendNotFoundError,
      code: 'TFJS_BACKEND_NOT_FOUND',
      mentions: ["'webgl'", 'not registered', 'cpu', '@tensorflow/tfjs-backend-webgl'],
    });
  });

  it('a tfjs with no backend at all throws TfjsBackendNotFoundError', async () => {
    const bare = { ...tf, engine: () => ({ registryFactory: {} }) } as unknown as Tfjs;
    await expectTypedError(() => createTfjsBackend({ tf: bare }), {
      type: TfjsBackendNotFoundError,
      mentions: ['no backend is registered', 'Registered: none'],
    });
  });

  it('a backend that fails to initialise throws TfjsBackendNotFoundError', async () => {
    tf.registerBackend('broken-for-test', () => {
      throw new Error('no device');
    });
    try {
      await expectTypedError(() => createTfjsBackend({ tf, backendName: 'broken-for-test' }), {
        type: TfjsBackendNotFoundError,
        mentions: ['failed to initialise'],
      });
    } finally {
      tf.removeBackend('broken-for-test');
      await tf.setBackend('cpu');
    }
  });

  it('dtypes tfjs lacks (float64, float16, bool) throw TfjsUnsupportedDTypeError', async () => {
    const backend = await createTfjsBackend({ tf, backendName: 'cpu' });
    for (const dtype of ['float64', 'float16', 'bool']) {
      await expectTypedError(() => backend.write(new Float32Array(2), [2], dtype as never), {
        type: TfjsUnsupportedDTypeError,
        code: 'TFJS_UNSUPPORTED_DTYPE',
        mentions: [dtype, 'write'],
      });
      await expectTypedError(() => backend.fill([2], 1, dtype as never), {
        type: TfjsUnsupportedDTypeError,
        mentions: ['fill'],
      });
    }
    expect(backend.memory().liveBuffers).toBe(0);
  });

  it('isWebGLContextLost reads the webgl context of a tfjs backend object', () => {
    expect(isWebGLContextLost(webglLike(true))).toBe(true);
    expect(isWebGLContextLost(webglLike(false))).toBe(false);
    expect(isWebGLContextLost(tf.backend())).toBe(false); // cpu: no WebGL context
    expect(isWebGLContextLost(undefined)).toBe(false);
  });

  it('a lost WebGL context turns reads and failing kernels into WebGLContextLostError', async () => {
    let lost = false;
    const fake = { ...tf, backend: () => webglLike(lost) } as unknown as Tfjs;
    const backend = new TfjsBackend(fake, 'webgl');
    const x = tensor(backend, [1, 2, 3], [3]);
    expect(Array.from(await x.data())).toEqual([1, 2, 3]);
    lost = true;
    const error = await expectTypedError(() => x.data(), {
      type: WebGLContextLostError,
      code: 'TFJS_WEBGL_CONTEXT_LOST',
      mentions: ["'read'", 'lost'],
    });
    expect(RlhfError.isInstance(error)).toBe(true);
    expect(() => backend.readSync?.(backend.write(new Float32Array(1), [1], 'float32'))).toThrow(WebGLContextLostError);
    // A kernel whose tfjs op throws while the context is lost reports the loss, with tfjs's error as cause.
    const bad = backend.write(new Float32Array(4), [2, 2], 'float32');
    const thrown = (() => {
      try {
        backend.matmul(bad, backend.write(new Float32Array(3), [3, 1], 'float32'), false, false);
      } catch (e) {
        return e;
      }
    })();
    expect(thrown).toBeInstanceOf(WebGLContextLostError);
    expect((thrown as Error).cause).toBeInstanceOf(Error);
  });

  it('an out-of-range gather index on tfjs-cpu throws a RangeError naming the index', async () => {
    const backend = await createTfjsBackend({ tf, backendName: 'cpu' });
    const x = backend.write(new Float32Array([1, 2, 3]), [3], 'float32');
    const idx = backend.write(new Int32Array([0, 5]), [2], 'int32');
    expect(() => backend.gather(x, idx, 0)).toThrow(RangeError);
    expect(() => backend.gather(x, idx, 0)).toThrow(/index 5/);
  });
});
