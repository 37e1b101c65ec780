import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultBackendNotice } from './cli-backend.js';
import { convertStories260K, expectCliError, spawnCli } from './test-support/cli-harness.js';

// `@rlhf/cli` depends on `@rlhf/backend-js` only; onnxruntime, tfjs and webgpu are optional peers. In this
// workspace all four are installed (dev dependencies), so an install of the CLI alone is simulated with a
// module-resolution hook given to the child process through NODE_OPTIONS: the optional backend packages
// (and onnxruntime-node) resolve to "not found", by name and by resolved path (core's fallback resolves
// from the working directory with require.resolve, then imports the file URL).
const HOOKS = `
const HIDDEN = /(^|\\/)(@rlhf\\/backend-(onnxruntime|tfjs|webgpu)|onnxruntime-node)(\\/|$)/;
const HIDDEN_PATH = /\\/(backend-(onnxruntime|tfjs|webgpu)|onnxruntime-node)\\//;
const notFound = (what) => Object.assign(new Error("Cannot find package '" + what + "' (hidden)"), { code: 'ERR_MODULE_NOT_FOUND' });
export async function resolve(specifier, context, next) {
  if (HIDDEN.test(specifier)) throw notFound(specifier);
  const resolved = await next(specifier, context);
  if (HIDDEN_PATH.test(resolved.url)) throw notFound(resolved.url);
  return resolved;
}`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});`;
const WITHOUT_OPTIONAL_BACKENDS: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(REGISTER)}`,
};

const root = mkdtempSync(join(tmpdir(), 'rlhf-cli-optional-backends-'));
const base = join(root, 'base');
const sftFile = join(root, 'sft.jsonl');
writeFileSync(
  sftFile,
  ['Lily', 'Tom', 'Sue', 'Ben']
    .map((n) => JSON.stringify({ prompt: `${n} went out.`, completion: ` ${n} was happy.` }))
    .join('\n'),
);

async function convertedModel(): Promise<string> {
  await convertStories260K(base);
  return base;
}

const NOTICE = /^rlhf: using backend (\S+), the fastest installed/m;

describe('the CLI without its optional backends (built CLI, `pnpm build` first)', () => {
  let model = '';
  beforeAll(async () => {
    model = await convertedModel();
  });

  it('the notice names the backend used and, below ONNX Runtime, how to add it', () => {
    expect(defaultBackendNotice('js')).toMatch(/using backend js, .*npm install @rlhf\/backend-onnxruntime/);
    expect(defaultBackendNotice('tfjs')).toContain('npm install @rlhf/backend-onnxruntime');
    expect(defaultBackendNotice('onnxruntime')).not.toContain('npm install');
    expect(defaultBackendNotice('onnxruntime')).toMatch(NOTICE);
  });

  it('onnxruntime, tfjs and webgpu unresolvable: `rlhf sft` trains on js and says so on stderr only', async () => {
    const hidden = await spawnCli(['generate', '--model', model, '--backend', 'onnxruntime', '--max-new-tokens', '2'], {
      env: WITHOUT_OPTIONAL_BACKENDS,
    });
    // The hook really hides the package: naming it is the typed "not installed" error.
    expectCliError(hidden, { code: 'BACKEND_NOT_INSTALLED', mentions: ['@rlhf/backend-onnxruntime'] });

    const out = join(root, 'sft');
    const sft = await spawnCli(
      [
        'sft',
        '--model',
        model,
        '--data',
        sftFile,
        '--out',
        out,
        '--so_vong',
        '1',
        '--kich_thuoc_batch',
        '2',
        '--gradient_accumulation',
        '1',
        '--json',
      ],
      { env: WITHOUT_OPTIONAL_BACKENDS, timeoutMs: 90_000 },
    );
    expect(sft.code, sft.stderr).toBe(0);
    const result = JSON.parse(sft.stdout.trim().split('\n').pop() ?? '') as { global_step: number };
    expect(result.global_step).toBe(2);
    const notices = sft.stderr.split('\n').filter((l) => NOTICE.test(l));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/using backend js, .*npm install @rlhf\/backend-onnxruntime/);
    expect(sft.stdout).not.toMatch(/using backend/);
  });

  it('with every backend installed, the default is the fastest, ONNX Runtime, and it says so', async () => {
    const gen = await spawnCli(['generate', '--model', model, '--prompt', 'Lily', '--max-new-tokens', '2', '--json']);
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stderr.match(NOTICE)?.[1]).toBe('onnxruntime');
    expect(gen.stderr).not.toContain('npm install');
  });
});
