import '@tensorflow/tfjs-backend-cpu';
import { Random } from '@rlhf/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hostScatterAdd, scatterAddKernel } from './indexing.js';

describe('scatterAdd on the host (the webgl path) equals tfjs scatterND', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('float32 and int32, axis 1, repeated indices', () => {
    const rng = new Random(4);
    const idx = tf.tensor1d(
      Array.from({ length: 50 }, () => rng.int(40)),
      'int32',
    );
    for (const dtype of ['float32', 'int32'] as const) {
      const values = Array.from({ length: 3 * 50 * 4 }, () => (dtype === 'int32' ? rng.int(100) - 50 : rng.normal()));
      const updates = tf.tensor3d(values, [3, 50, 4], dtype);
      const device = scatterAddKernel(tf, updates, idx, 1, 40, false);
      const host = hostScatterAdd(tf, updates, idx, [3], [4], 40, [3, 40, 4]);
      expect(host.shape).toEqual([3, 40, 4]);
      expect(host.dtype).toBe(dtype);
      const [d, h] = [device.dataSync(), host.dataSync()];
      for (let i = 0; i < d.length; i++) expect(h[i]).toBeCloseTo(d[i] as number, 5);
      expect(Array.from(h).some((v) => v !== 0)).toBe(true);
      tf.dispose([updates, device, host]);
    }
    idx.dispose();
  });

  it('an out-of-range index throws a RangeError naming it', () => {
    const updates = tf.ones([2, 3]);
    const idx = tf.tensor1d([0, 7], 'int32');
    expect(() => hostScatterAdd(tf, updates, idx, [], [3], 4, [4, 3])).toThrow(/index 7/);
    tf.dispose([updates, idx]);
  });
});
