import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { convertStories260K, runCliCaptured } from '../test-support/cli-harness.js';

const root = mkdtempSync(join(tmpdir(), 'rlhf-kto-'));
const base = join(root, 'base');
const fast = ['--kich-thuoc-batch', '2', '--gradient_accumulation', '1', '--max_seq_length', '32', '--backend', 'js'];

beforeAll(async () => {
  await convertStories260K(base);
}, 60_000);

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;

describe('rlhf kto', () => {
  it('trains on { prompt, completion, label } JSONL with TRL names as flags and --config; history.jsonl has TRL metric names', async () => {
    const data = join(root, 'feedback.jsonl');
    writeFileSync(
      data,
      ['Lily', 'Tom', 'Sue', 'Ben']
        .flatMap((p) => [
          { prompt: `${p} saw a dog.`, completion: ` ${p} smiled.`, label: true },
          { prompt: `${p} saw a cat.`, completion: ` ${p} cried.`, label: false },
        ])
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const config = join(root, 'kto.json');
    writeFileSync(config, JSON.stringify({ beta: 0.2, undesirable_weight: 1 }));
    const out = join(root, 'out-jsonl');
    const run = await runCliCaptured([
      'kto',
      '--model',
      base,
      '--data',
      data,
      '--out',
      out,
      ...fast,
      '--config',
      config,
      '--learning-rate',
      '1e-3',
      '--logging_steps',
      '1',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const result = lastJson(run.stdout);
    expect(Object.keys(result)).toEqual(
      expect.arrayContaining([
        'tong_thoi_gian',
        'so_epoch',
        'global_step',
        'train_loss_min',
        'final_reward_margin',
        'history',
      ]),
    );
    expect(result.global_step).toBe(4);
    const lines = readFileSync(join(out, 'history.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(4);
    const metrics = (JSON.parse(lines[0] as string) as { metrics: Record<string, number> }).metrics;
    expect(Object.keys(metrics)).toEqual(
      expect.arrayContaining(['rewards/chosen', 'rewards/rejected', 'rewards/margins', 'kl', 'logps/chosen']),
    );
    expect(readFileSync(join(out, 'config.json'), 'utf8')).toContain('llama');
    expect(run.stderr).not.toMatch(/warning/);
  });

  it('converts a file of preference pairs (each → one desirable and one undesirable example) and says so', async () => {
    const data = join(root, 'pairs.json');
    writeFileSync(
      data,
      JSON.stringify(
        ['Lily', 'Tom'].map((p) => ({ prompt: `${p} saw a dog.`, chosen: ` ${p} smiled.`, rejected: ` ${p} cried.` })),
      ),
    );
    const run = await runCliCaptured([
      'kto',
      '--model',
      base,
      '--data',
      data,
      '--out',
      join(root, 'out-pairs'),
      ...fast,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `note: ${data} holds preference pairs; each became one desirable and one undesirable example (2 + 2)`,
    );
    expect(lastJson(run.stdout).global_step).toBe(2);
  });
});
