import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { probeNanQuirks } from './nan-quirks.js';
import type { Tfjs } from './tfjs-types.js';

describe('probeNanQuirks: where tfjs 4.22 kernels drop NaN', () => {
  it('cpu: sign and argMax; wasm: also maximum/minimum; no tensor left behind', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    expect(probeNanQuirks(tf)).toEqual({
      div: false,
      relu: false,
      sign: true,
      maximum: false,
      reduce: false,
      argMax: true,
    });
    await tf.setBackend('wasm');
    expect(probeNanQuirks(tf)).toEqual({
      div: false,
      relu: false,
      sign: true,
      maximum: true,
      reduce: false,
      argMax: true,
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a backend whose probes cannot run (no synchronous read) gets every correction', () => {
    const noSyncRead = {
      ...tf,
      tidy: () => {
        throw new Error('readSync is not available');
      },
    } as unknown as Tfjs;
    expect(Object.values(probeNanQuirks(noSyncRead))).toEqual([true, true, true, true, true, true]);
  });
});
