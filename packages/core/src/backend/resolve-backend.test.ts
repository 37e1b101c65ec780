import { describe, expect, it } from 'vitest';
import { BackendNotInstalledError, resolveBackend, toBackend } from './resolve-backend.js';

describe('resolveBackend', () => {
  it('imports @rlhf/backend-js by name', async () => {
    const backend = await resolveBackend('js');
    expect(backend.name).toBe('js');
    expect(backend.specificationVersion).toBe('v1');
  });

  it('names the package to install for a missing backend', async () => {
    await expect(resolveBackend('nonexistent')).rejects.toThrow(BackendNotInstalledError);
    await expect(resolveBackend('nonexistent')).rejects.toThrow(/@rlhf\/backend-nonexistent/);
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
