import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { matmul, tensor } from '@rlhf/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createBackend, createTfjsBackend } from './index.js';

describe('createTfjsBackend / createBackend', () => {
  it('without a name, runs on the tfjs backend the user has set', async () => {
    for (const name of ['cpu', 'wasm']) {
      await tf.setBackend(name);
      const backend = await createTfjsBackend({ tf });
      expect([backend.name, backend.tfjsBackend, tf.getBackend()]).toEqual(['tfjs', name, name]);
      const x = tensor(backend, [1, 2, 3, 4], [2, 2]);
      expect(Array.from(await matmul(x, x).data())).toEqual([7, 10, 15, 22]);
    }
  });

  it('a named tfjs backend becomes tfjs’s active backend; createBackend keeps a registered one', async () => {
    await tf.setBackend('wasm');
    const onCpu = await createTfjsBackend({ tf, backendName: 'cpu' });
    expect([onCpu.tfjsBackend, tf.getBackend()]).toEqual(['cpu', 'cpu']);
    expect(onCpu.capabilities.syncRead).toBe(true);
    const byName = await createBackend({ tf });
    expect(byName.tfjsBackend).toBe('cpu');
  });
});
