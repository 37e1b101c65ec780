import { type RlhfError, UnsupportedOperationError } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import {
  createWebGpuBackend,
  GpuDeviceLostError,
  GpuOutOfMemoryError,
  WebGpuBackend,
  WebGpuUnavailableError,
  WebGpuUnsupportedError,
} from './index.js';
import { dawnGpu } from './node.js';

describe('webgpu typed errors', () => {
  it('no adapter: WebGpuUnavailableError names every attempt and what it answered', async () => {
    // D3D12 exists only on Windows: Dawn finds no adapter through it here
    const error = await createWebGpuBackend({
      dawnAttempts: [{ dawnOptions: ['backend=d3d12'], featureLevel: 'core' }],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebGpuUnavailableError);
    expect((error as RlhfError).code).toBe('WEBGPU_NO_ADAPTER');
    const attempts = (error as WebGpuUnavailableError).attempts;
    expect(attempts[0]).toBe('navigator.gpu: absent');
    expect(attempts[1]).toMatch(/create\(\['backend=d3d12'\]\), featureLevel 'core': no adapter/);
    expect((error as Error).message).toMatch(/libegl-mesa0/);
  });

  it('out of memory: an allocation beyond memoryLimitBytes names its size and the live bytes', async () => {
    const b = await createWebGpuBackend({ memoryLimitBytes: 4096 });
    const kept = b.fill([512], 1, 'float32'); // 2,048 bytes live
    const before = b.memory();
    let error: unknown;
    try {
      b.fill([600], 0, 'float32');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GpuOutOfMemoryError);
    expect(error).toMatchObject({ code: 'GPU_OUT_OF_MEMORY', requestedBytes: 2400, liveBytes: 2048 });
    expect((error as Error).message).toMatch(/2400 bytes \(2048 bytes live/);
    // nothing half-made, and the live tensor is intact
    expect(b.memory()).toEqual(before);
    expect(Array.from(await b.read(kept)).every((v) => v === 1)).toBe(true);
  });

  it('out of memory: a buffer the device refuses turns into GpuOutOfMemoryError at the next read', async () => {
    const b = await createWebGpuBackend();
    const kept = b.fill([100], 1, 'float32');
    await b.read(kept);
    // the device's answer to the next allocation's error scope, as Dawn gives it when memory runs out
    const real = b.device.popErrorScope.bind(b.device);
    b.device.popErrorScope = async () => {
      await real();
      return { message: 'Out of memory (simulated)' } as GPUError;
    };
    const big = b.fill([3000], 2, 'float32'); // a size class not in the pool yet: a new device buffer
    const error = await b.read(big).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GpuOutOfMemoryError);
    expect(error).toMatchObject({ requestedBytes: 12_288, liveBytes: 400 });
    expect((error as Error).message).toMatch(/Out of memory \(simulated\)/);
  });

  it("out of memory: a tensor larger than the device's largest buffer is refused before allocating", async () => {
    const b = await createWebGpuBackend();
    const elements = Math.floor(b.device.limits.maxBufferSize / 4) + 1;
    expect(() => b.fill([elements], 0, 'float32')).toThrow(GpuOutOfMemoryError);
    expect(() => b.fill([elements], 0, 'float32')).toThrow(/maxBufferSize/);
    expect(b.memory()).toEqual({ liveBuffers: 0, liveBytes: 0 });
  });

  it('device lost: every later call throws GpuDeviceLostError; values read before stay valid', async () => {
    const b = await createWebGpuBackend();
    const x = b.write(Float32Array.of(1, 2, 3), [3], 'float32');
    const host = await b.read(b.unary('square', x));
    b.device.destroy();
    await b.device.lost;
    expect(() => b.unary('exp', x)).toThrow(GpuDeviceLostError);
    expect(() => b.fill([2], 0, 'float32')).toThrow(
      expect.objectContaining({ code: 'GPU_DEVICE_LOST', reason: 'destroyed' }),
    );
    await expect(b.read(x)).rejects.toBeInstanceOf(GpuDeviceLostError);
    expect(Array.from(host)).toEqual([1, 4, 9]);
  });

  it("unsupported: a device below the kernels' workgroup size is refused; int32 matmul is not a kernel", async () => {
    // a compatibility-mode device with default limits allows 128 invocations per workgroup
    const adapter = await dawnGpu(['backend=opengles']).requestAdapter({ featureLevel: 'compatibility' });
    if (!adapter) throw new Error('the OpenGL ES adapter used by the other tests is missing');
    const device = await adapter.requestDevice();
    expect(device.limits.maxComputeInvocationsPerWorkgroup).toBeLessThan(256);
    expect(() => new WebGpuBackend(device)).toThrow(WebGpuUnsupportedError);
    expect(() => new WebGpuBackend(device)).toThrow(/maxComputeInvocationsPerWorkgroup.*256/);
    device.destroy();
    const b = await createWebGpuBackend();
    const i = b.fill([2, 2], 1, 'int32');
    expect(() => b.matmul(i, i, false, false)).toThrow(UnsupportedOperationError);
  });
});
