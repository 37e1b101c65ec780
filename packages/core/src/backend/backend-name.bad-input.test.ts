import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { expectTypedError } from '../testing/expect-typed-error.js';
import { registerBackend, UnknownBackendError } from './backend-registry.js';
import type { TensorBackend } from './backend-spec.js';
import { resolveBackend, toBackend } from './resolve-backend.js';

/** A module that, if it were ever imported, would leave a marker file beside itself. */
function canary(): { file: string; marker: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rlhf-canary-'));
  const file = join(dir, 'evil.js');
  const marker = join(dir, 'EXECUTED');
  writeFileSync(
    file,
    `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'x');\nexport const createBackend = () => ({ name: 'evil' });\n`,
  );
  return { file, marker };
}

const c = canary();
const dataUrl = `data:text/javascript,import{writeFileSync}from'node:fs';writeFileSync(${JSON.stringify(c.marker)},'x');export const createBackend=()=>({name:'evil'})`;

afterEach(() => {
  expect(existsSync(c.marker), 'the canary module was executed').toBe(false);
});

describe('backend names never become import paths (API)', () => {
  it.each([
    ['a relative path that walks up to a .js file', relative(process.cwd(), c.file)],
    ['a traversal from the package scope', `../../../../../../../../${c.file}`],
    ['an absolute path', c.file],
    ['a file: URL', pathToFileURL(c.file).href],
    ['a data: URL', dataUrl],
    ['a name with a slash', 'js/../../evil'],
    ['a scoped package name', '@rlhf/backend-js'],
    ['an unknown name', 'cuda'],
    ['an empty name', ''],
    ['an upper-case name', 'JS'],
  ])('backend: %s is refused by resolveBackend', async (_title, name) => {
    const error = await expectTypedError(() => resolveBackend(name), {
      type: UnknownBackendError,
      code: 'UNKNOWN_BACKEND',
      mentions: ['js, onnxruntime, tfjs, webgpu'],
    });
    expect(error.message).toContain(JSON.stringify(name).slice(0, 40));
  });

  it.each([
    ['a number', 42],
    ['null', null],
    ['a plain object without a name', {}],
  ])('backend: %s is neither a name nor a backend object', async (_title, value) => {
    await expectTypedError(() => toBackend(value as unknown as TensorBackend), {
      type: UnknownBackendError,
      mentions: ['neither a backend name nor a backend object'],
    });
  });

  it('backend: registering a path as a name is refused', async () => {
    await expectTypedError(() => registerBackend(c.file, () => ({ name: 'evil' }) as unknown as TensorBackend), {
      type: UnknownBackendError,
      mentions: ['not a valid backend name', 'evil.js'],
    });
  });
});

describe('the canary itself', () => {
  it('writes its marker when it is imported (so the checks above can fail)', async () => {
    const control = canary();
    await import(/* @vite-ignore */ pathToFileURL(control.file).href);
    expect(existsSync(control.marker)).toBe(true);
  });
});
