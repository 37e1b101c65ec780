import { matmul, resolveBackend, tensor } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { createWebGpuBackend, WebGpuBackend } from './index.js';

describe('createWebGpuBackend / resolveBackend', () => {
  it("resolveBackend('webgpu') finds this package's factory and gives a working backend", async () => {
    const backend = await resolveBackend(
      'webgpu',
      (specifier) => import(specifier) as Promise<Record<string, unknown>>,
    );
    expect(backend).toBeInstanceOf(WebGpuBackend);
    expect(backend.name).toBe('webgpu');
    expect(backend.capabilities.syncRead).toBe(false);
    const x = tensor(backend, [1, 2, 3, 4], [2, 2]);
    expect(Array.from(await matmul(x, x).data())).toEqual([7, 10, 15, 22]);
  });

  it('runs on a device passed in (and says so)', async () => {
    const first = await createWebGpuBackend();
    const shared = await createWebGpuBackend({ device: first.device });
    expect(shared.device).toBe(first.device);
    expect(shared.adapterInfo).toBe('(device given)');
    const y = shared.fill([3], 2.5, 'float32');
    expect(Array.from(await shared.read(y))).toEqual([2.5, 2.5, 2.5]);
    expect(first.adapterInfo).toMatch(/\((navigator\.gpu|dawn: .*)\)$/);
  });
});
