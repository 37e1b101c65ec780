import { describe, expect, it } from 'vitest';
import { backendNames, registerBackend, UnknownBackendError } from './backend-registry.js';
import { BackendNotInstalledError, resolveBackend, toBackend } from './resolve-backend.js';

describe('resolveBackend', () => {
  it('imports @rlhf/backend-js by name', async () => {
    const backend = await resolveBackend('js');
    expect(backend.name).toBe('js');
    expect(backend.specificationVersion).toBe('v1');
  });

  it('names the package to install for a known backend that is not installed', async () => {
    await expect(resolveBackend('tfjs')).rejects.toThrow(BackendNotInstalledError);
    await expect(resolveBackend('tfjs')).rejects.toThrow(/@rlhf\/backend-tfjs/);
  });

  it('refuses an unknown name, listing the known ones', async () => {
    await expect(resolveBackend('nonexistent')).rejects.toThrow(UnknownBackendError);
    await expect(resolveBackend('nonexistent')).rejects.toThrow(/expected one of: js, onnxruntime, tfjs, webgpu/);
  });

  it('resolves a registered backend by its name, without importing anything', async () => {
    const js = await resolveBackend('js');
    let calls = 0;
    registerBackend('test-registered', () => {
      calls++;
      return js;
    });
    expect(backendNames()).toContain('test-registered');
    expect(await resolveBackend('test-registered')).toBe(js);
    expect(await resolveBackend('test-registered')).toBe(js);
    expect(calls).toBe(1);
    expect(() => registerBackend('../x', () => js)).toThrow(UnknownBackendError);
  });

  it('passes backend objects through and picks an installed one by default', async () => {
    const js = await resolveBackend('js');
    expect(await toBackend(js)).toBe(js);
    expect((await toBackend()).specificationVersion).toBe('v1');
  });
});

describe('resolveBackend instances', () => {
  it('gives the same instance for the same name (models loaded separately share it)', async () => {
    expect(await resolveBackend('js')).toBe(await resolveBackend('js'));
  });
});
