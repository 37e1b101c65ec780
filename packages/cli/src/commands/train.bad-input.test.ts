import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { convertStories260K, expectCliError, runCliCaptured } from '../test-support/cli-harness.js';

const root = mkdtempSync(join(tmpdir(), 'rlhf-train-bad-'));
const base = join(root, 'base');
const sftFile = join(root, 'sft.jsonl');
const prefFile = join(root, 'prefs.json');
const fast = ['--kich_thuoc_batch', '1', '--gradient_accumulation', '1', '--max_seq_length', '32', '--backend', 'js'];
let n = 0;
const outDir = () => join(root, `out-${n++}`);
/** A saved model folder holds these; a failed run must leave none. */
const hasModel = (dir: string) => existsSync(join(dir, 'model.safetensors')) || existsSync(join(dir, 'config.json'));

beforeAll(async () => {
  writeFileSync(
    sftFile,
    Array.from({ length: 6 }, (_, i) => JSON.stringify({ text: `Once upon a time there was a cat number ${i}.` })).join(
      '\n',
    ),
  );
  writeFileSync(
    prefFile,
    JSON.stringify(
      ['Lily', 'Tom', 'Sue', 'Ben'].map((p) => ({
        prompt: `${p} saw a dog.`,
        chosen: ` ${p} smiled.`,
        rejected: ` ${p} cried.`,
      })),
    ),
  );
  await convertStories260K(base);
}, 60_000);

describe('bad input: rlhf sft / dpo / reward with numbers that are not numbers', () => {
  it('non-finite: rlhf sft --toc_do_hoc 1e30 exits 1 with the NON_FINITE line naming the step; --out holds no model', async () => {
    const out = outDir();
    const run = await runCliCaptured([
      'sft',
      '--model',
      base,
      '--data',
      sftFile,
      '--out',
      out,
      ...fast,
      '--toc_do_hoc',
      '1e30',
    ]);
    expectCliError(run, { code: 'NON_FINITE', mentions: ['SFTTrainer', /step \d+/, 'NaN'] });
    expect(run.code).toBe(1);
    expect(hasModel(out)).toBe(false);
  });

  it('non-finite: rlhf dpo --loss_type ipo --beta 1e-30 exits 1 naming step 1; --out holds no model', async () => {
    const out = outDir();
    const run = await runCliCaptured([
      'dpo',
      '--model',
      base,
      '--data',
      prefFile,
      '--out',
      out,
      ...fast,
      '--loss_type',
      'ipo',
      '--beta',
      '1e-30',
    ]);
    expectCliError(run, { code: 'NON_FINITE', mentions: ['DPOTrainer', 'step 1', 'Infinity'] });
    expect(hasModel(out)).toBe(false);
  });

  it('non-finite: rlhf dpo --beta 1e38 exits 1 naming the gradient norm of step 1; --out holds no model', async () => {
    const out = outDir();
    const run = await runCliCaptured([
      'dpo',
      '--model',
      base,
      '--data',
      prefFile,
      '--out',
      out,
      ...fast,
      '--beta',
      '1e38',
    ]);
    expectCliError(run, { code: 'NON_FINITE', mentions: ['gradient norm', 'step 1'] });
    expect(hasModel(out)).toBe(false);
  });

  it('non-finite: rlhf reward --toc_do_hoc 1e30 --so_vong 3 exits 1 naming the step; --out holds no model', async () => {
    const out = outDir();
    const run = await runCliCaptured([
      'reward',
      '--model',
      base,
      '--data',
      prefFile,
      '--out',
      out,
      ...fast,
      '--warmup_ratio',
      '0',
      '--so_vong',
      '3',
      '--toc_do_hoc',
      '1e30',
    ]);
    expectCliError(run, { code: 'NON_FINITE', mentions: ['RewardModel', /step \d+/] });
    expect(hasModel(out)).toBe(false);
  });

  it.each([
    ['options: rlhf dpo --beta 1e308', ['dpo', '--beta', '1e308'], 'beta'],
    ['options: rlhf dpo --loss_type ipo --beta 1e-300', ['dpo', '--loss_type', 'ipo', '--beta', '1e-300'], 'beta'],
    ['options: rlhf dpo --label_smoothing 0.7', ['dpo', '--label_smoothing', '0.7'], 'label_smoothing'],
    ['options: rlhf sft --skip_nonfinite_steps yes', ['sft', '--skip_nonfinite_steps', 'yes'], 'skip_nonfinite_steps'],
    ['options: rlhf sft --so_vong 0', ['sft', '--so_vong', '0'], 'so_vong'],
    ['options: rlhf sft --toc_do_hoc -1', ['sft', '--toc_do_hoc', '-1'], 'toc_do_hoc'],
    ['options: rlhf reward --kich_thuoc_batch 0', ['reward', '--kich_thuoc_batch', '0'], 'kich_thuoc_batch'],
    ['options: rlhf reward --warmup_ratio 2', ['reward', '--warmup_ratio', '2'], 'warmup_ratio'],
  ] as const)('%s', async (_title, [command, ...flags], key) => {
    const out = outDir();
    const data = command === 'sft' ? sftFile : prefFile;
    const run = await runCliCaptured([
      command,
      '--model',
      base,
      '--data',
      data,
      '--out',
      out,
      '--backend',
      'js',
      ...flags,
    ]);
    expectCliError(run, { code: 'CONFIG_INVALID', mentions: [`'${key}'`] });
    expect(hasModel(out)).toBe(false);
  });
});

describe('bad input: rlhf sft with skipping on', () => {
  it('non-finite: rlhf sft --toc_do_hoc 1e30 --skip_nonfinite_steps true exits 0 and reports the skipped steps', async () => {
    const out = outDir();
    const run = await runCliCaptured([
      'sft',
      '--model',
      base,
      '--data',
      sftFile,
      '--out',
      out,
      ...fast,
      '--toc_do_hoc',
      '1e30',
      '--skip_nonfinite_steps',
      'true',
      '--logging_steps',
      '1',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').pop() as string) as {
      history: { skipped_steps: number[] };
    };
    expect(result.history.skipped_steps.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(hasModel(out)).toBe(true);
  });
});
