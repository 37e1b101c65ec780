import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { convertStories260K, runCliCaptured } from '../test-support/cli-harness.js';

const root = mkdtempSync(join(tmpdir(), 'rlhf-orpo-cli-'));
const base = join(root, 'base');
const prefFile = join(root, 'prefs.jsonl');
const fast = ['--kich_thuoc_batch', '2', '--gradient_accumulation', '1', '--max_seq_length', '32', '--backend', 'js'];

beforeAll(async () => {
  writeFileSync(
    prefFile,
    ['Lily', 'Tom', 'Sue', 'Ben']
      .map((p) => JSON.stringify({ prompt: `${p} saw a dog.`, chosen: ` ${p} smiled.`, rejected: ` ${p} cried.` }))
      .join('\n'),
  );
  await convertStories260K(base);
}, 60_000);

/** The `--json` result: the last stdout line. */
const resultOf = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop() as string) as Record<string, unknown>;

describe('rlhf orpo / rlhf cpo', () => {
  it('rlhf orpo trains with seed flags and --beta (λ), saves the model and history.jsonl, prints the seed result', async () => {
    const out = join(root, 'orpo');
    const r = await runCliCaptured([
      'orpo',
      '--model',
      base,
      '--data',
      prefFile,
      '--out',
      out,
      ...fast,
      '--so-vong',
      '1',
      '--toc_do_hoc',
      '1e-3',
      '--beta',
      '0.2',
      '--logging_steps',
      '1',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const result = resultOf(r.stdout);
    expect(result.global_step).toBe(2);
    expect(Object.keys(result)).toEqual([
      'tong_thoi_gian',
      'so_epoch',
      'global_step',
      'train_loss_min',
      'final_reward_margin',
      'history',
    ]);
    expect((result.history as { log_odds_chosen: number[] }).log_odds_chosen).toHaveLength(2);
    expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
    const lines = readFileSync(join(out, 'history.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(Object.keys(JSON.parse(lines[0] as string).metrics)).toContain('nll_loss');
  });

  it('rlhf cpo --loss-type simpo --cpo-alpha 0 (SimPO) and TRL aliases (--learning-rate) train and report', async () => {
    const out = join(root, 'simpo');
    const r = await runCliCaptured([
      'cpo',
      '--model',
      base,
      '--data',
      prefFile,
      '--out',
      out,
      ...fast,
      '--learning-rate',
      '1e-3',
      '--loss-type',
      'simpo',
      '--cpo-alpha',
      '0',
      '--beta',
      '2',
      '--simpo_gamma',
      '0.5',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('SimPO done: 2 steps');
    expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
  });

  it('help shows every option of each trainer and the SimPO note', async () => {
    const orpo = (await runCliCaptured(['orpo', '--help'])).stdout;
    for (const flag of ['--beta <', '--max-prompt-length <', '--so-vong <', '--output-dir <', '--skip-invalid'])
      expect(orpo).toContain(flag);
    expect(orpo).not.toContain('--loss-type');
    const cpo = (await runCliCaptured(['help', 'cpo'])).stdout;
    for (const flag of ['--loss-type <', '--cpo-alpha <', '--simpo-gamma <', '--label-smoothing <'])
      expect(cpo).toContain(flag);
    expect(cpo).toContain('--loss-type simpo --cpo-alpha 0');
  });
});
