import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { convertStories260K, expectCliError, runCliCaptured } from '../test-support/cli-harness.js';

const root = mkdtempSync(join(tmpdir(), 'rlhf-orpo-bad-'));
const base = join(root, 'base');
const prefFile = join(root, 'prefs.jsonl');
const badFile = join(root, 'bad.jsonl');
const fast = ['--kich_thuoc_batch', '1', '--gradient_accumulation', '1', '--max_seq_length', '32', '--backend', 'js'];
let n = 0;
const outDir = () => join(root, `out-${n++}`);
const hasModel = (dir: string) => existsSync(join(dir, 'model.safetensors')) || existsSync(join(dir, 'config.json'));

beforeAll(async () => {
  const line = (p: string) =>
    JSON.stringify({ prompt: `${p} saw a dog.`, chosen: ` ${p} smiled.`, rejected: ` ${p} cried.` });
  writeFileSync(prefFile, ['Lily', 'Tom'].map(line).join('\n'));
  writeFileSync(
    badFile,
    [line('Lily'), JSON.stringify({ prompt: 'Tom saw a dog.', chosen: ' Tom smiled.' })].join('\n'),
  );
  await convertStories260K(base);
}, 60_000);

describe('bad input: rlhf orpo / rlhf cpo', () => {
  it('rlhf orpo --ref-model DIR: ORPO has no reference; the flag is refused by name (unknown option, exit 1)', async () => {
    const out = outDir();
    const r = await runCliCaptured(['orpo', '--model', base, '--ref-model', base, '--data', prefFile, '--out', out]);
    expect(r.code).toBe(1);
    expectCliError(r, { mentions: ['ref_model', 'ORPOTrainer'] });
    expect(hasModel(out)).toBe(false);
  });

  it('rlhf cpo --loss-type alphapo: a ConfigError naming loss_type and the four accepted names; nothing written', async () => {
    const out = outDir();
    const r = await runCliCaptured([
      'cpo',
      '--model',
      base,
      '--data',
      prefFile,
      '--out',
      out,
      '--loss-type',
      'alphapo',
    ]);
    expect(r.code).toBe(1);
    expectCliError(r, { code: 'CONFIG_INVALID', mentions: ['CPOTrainer', 'loss_type', "'simpo'"] });
    expect(hasModel(out)).toBe(false);
  });

  it('rlhf orpo --beta 0: a ConfigError naming beta; nothing written', async () => {
    const out = outDir();
    const r = await runCliCaptured(['orpo', '--model', base, '--data', prefFile, '--out', out, '--beta', '0']);
    expect(r.code).toBe(1);
    expectCliError(r, { mentions: ['ORPOTrainer', 'beta', '> 0'] });
    expect(hasModel(out)).toBe(false);
  });

  it('rlhf cpo with a record missing rejected: the file and line 2 are named; --skip-invalid trains on the rest', async () => {
    const out = outDir();
    const r = await runCliCaptured(['cpo', '--model', base, '--data', badFile, '--out', out, ...fast]);
    expect(r.code).toBe(1);
    expectCliError(r, { mentions: [badFile, 'line 2', 'rejected'] });
    expect(hasModel(out)).toBe(false);
    const skipped = await runCliCaptured([
      'cpo',
      '--model',
      base,
      '--data',
      badFile,
      '--out',
      outDir(),
      ...fast,
      '--skip-invalid',
      '--json',
    ]);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stderr).toContain('--skip-invalid left out 1 invalid record(s)');
  });

  it('rlhf orpo without --data: a usage error naming the flag', async () => {
    const r = await runCliCaptured(['orpo', '--model', base, '--out', outDir()]);
    expect(r.code).toBe(2);
    expectCliError(r, { mentions: ['--data'] });
  });
});
