import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { expectCliError, runCliCaptured, spawnCli } from './test-support/cli-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'rlhf-cli-canary-'));
const evil = join(dir, 'evil.js');
const marker = join(dir, 'EXECUTED');
writeFileSync(
  evil,
  `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'x');\nexport const createBackend = () => ({ name: 'evil' });\n`,
);

afterEach(() => {
  expect(existsSync(marker), 'the canary module was executed').toBe(false);
});

const NAMES: [string, string][] = [
  ['a traversal path', `../../../../../../../../..${evil}`],
  ['an absolute path', evil],
  ['a file: URL', pathToFileURL(evil).href],
  ['a name with a slash', 'js/evil'],
  ['an unknown name', 'cuda'],
];

function pipelineConfig(backend: unknown): string {
  const file = join(mkdtempSync(join(dir, 'cfg-')), 'pipeline.json');
  writeFileSync(
    file,
    JSON.stringify({ model: join(dir, 'no-model'), sft_data: 'x.jsonl', preference_data: 'y.jsonl', backend }),
  );
  return file;
}

describe('backend names never become import paths (CLI)', () => {
  it.each(NAMES)('backend: rlhf generate --backend with %s', async (_t, name) => {
    const run = await runCliCaptured(['generate', '--model', join(dir, 'no-model'), '--backend', name]);
    expectCliError(run, { code: 'UNKNOWN_BACKEND', mentions: ['js, onnxruntime, tfjs, webgpu'] });
  });

  it.each(NAMES)('backend: rlhf sft --backend with %s', async (_t, name) => {
    const run = await runCliCaptured([
      'sft',
      '--model',
      join(dir, 'no-model'),
      '--data',
      'x.jsonl',
      '--out',
      join(dir, 'out'),
      '--backend',
      name,
    ]);
    expectCliError(run, { code: 'UNKNOWN_BACKEND', mentions: ['expected one of'] });
  });

  it.each([
    ...NAMES,
    [
      'a data: URL',
      `data:text/javascript,import{writeFileSync}from'node:fs';writeFileSync(${JSON.stringify(marker)},'x')`,
    ],
  ])('backend: "backend" in a pipeline config file is %s', async (_t, name) => {
    const run = await runCliCaptured(['pipeline', '--config', pipelineConfig(name), '--out', join(dir, 'run')]);
    expectCliError(run, { code: 'UNKNOWN_BACKEND', mentions: ['expected one of'] });
  });

  it('backend: "backend" in a pipeline config file is an object that looks like a backend', async () => {
    const run = await runCliCaptured([
      'pipeline',
      '--config',
      pipelineConfig({ name: 'js', specificationVersion: 'v1' }),
      '--out',
      join(dir, 'run'),
    ]);
    expectCliError(run, { code: 'USAGE', mentions: ["'backend' must be a string"] });
  });

  it('backend: the built CLI in a child process refuses a path and runs nothing', async () => {
    const run = await spawnCli(['generate', '--model', join(dir, 'no-model'), '--backend', evil], {
      timeoutMs: 30_000,
    });
    expectCliError(run, { code: 'UNKNOWN_BACKEND', mentions: ['evil.js', 'expected one of'] });
  });
});
