import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
    // Every backend package exists in this workspace (and the test runner resolves them all), so this runs
    // the built core as an application would: from a folder where only @rlhf/core can be imported.
    const core = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
    const app = mkdtempSync(join(tmpdir(), 'rlhf-app-'));
    const script = `import(${JSON.stringify(pathToFileURL(core).href)}).then((c) => c.resolveBackend('tfjs')).then(
      () => console.log('resolved'),
      (e) => console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })))`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: app,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    const error = JSON.parse(out.trim());
    expect(error).toMatchObject({ name: 'BackendNotInstalledError', code: 'BACKEND_NOT_INSTALLED' });
    expect(error.message).toMatch(/@rlhf\/backend-tfjs/);
    expect(new BackendNotInstalledError('tfjs')).toBeInstanceOf(Error);
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

describe('the default backend', () => {
  it('is the instance of the name it picks, whichever is resolved first', async () => {
    const byDefault = await resolveBackend();
    expect(await resolveBackend(byDefault.name)).toBe(byDefault);
    expect(await toBackend()).toBe(byDefault);
    expect(await toBackend(byDefault.name)).toBe(byDefault);
  });
});
