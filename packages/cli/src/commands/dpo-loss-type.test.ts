import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { convertStories260K, runCliCaptured } from '../test-support/cli-harness.js';

describe('rlhf dpo --loss-type: a name, a JSON list with --loss-weights, or a --config file', () => {
  const root = mkdtempSync(join(tmpdir(), 'rlhf-dpo-loss-type-'));
  const base = join(root, 'base');
  const prefs = join(root, 'prefs.json');
  const common = [
    '--kich_thuoc_batch',
    '2',
    '--gradient_accumulation',
    '1',
    '--logging_steps',
    '1',
    '--max_steps',
    '1',
  ];
  const firstLoss = (stdout: string): number =>
    (JSON.parse(stdout.trim().split('\n').pop() as string) as { history: { train_loss: number[] } }).history
      .train_loss[0] as number;

  beforeAll(async () => {
    writeFileSync(
      prefs,
      JSON.stringify(
        ['Lily', 'Tom'].map((n) => ({ prompt: `${n} saw a dog.`, chosen: ` ${n} smiled.`, rejected: ` ${n} cried.` })),
      ),
    );
    await convertStories260K(base);
  }, 60_000);

  const dpo = (out: string, extra: string[]) =>
    // --backend named: no "using backend …" notice, so stderr holds only errors.
    runCliCaptured([
      'dpo',
      '--model',
      base,
      '--data',
      prefs,
      '--out',
      join(root, out),
      '--backend',
      'onnxruntime',
      ...common,
      ...extra,
      '--json',
    ]);

  it('--loss-type ipo: the step-0 loss is IPO’s 1/(4β²) = 25 (policy = reference)', async () => {
    const r = await dpo('ipo', ['--loss-type', 'ipo']);
    expect(r.stderr).not.toMatch(/rlhf:/);
    expect(r.code).toBe(0);
    expect(firstLoss(r.stdout)).toBeCloseTo(25, 3);
  }, 60_000);

  it('--loss-type as a JSON list with --loss-weights (MPO): 0.8·ln 2 + 0.2·2 ln 2 + the NLL term', async () => {
    const r = await dpo('mpo', ['--loss-type', '["sigmoid","bco_pair","sft"]', '--loss-weights', '[0.8,0.2,1]']);
    expect(r.stderr).not.toMatch(/rlhf:/);
    expect(r.code).toBe(0);
    const loss = firstLoss(r.stdout);
    expect(loss).toBeGreaterThan(1.2 * Math.LN2 + 0.5); // the sft term adds the NLL per chosen token (> 0.5 here)
    expect(Number.isFinite(loss)).toBe(true);
  }, 60_000);

  it('--config FILE.json with a loss_type list: apo_zero alone starts at 1', async () => {
    const config = join(root, 'dpo.json');
    writeFileSync(config, JSON.stringify({ loss_type: ['apo_zero'], loss_weights: [1] }));
    const r = await dpo('apo', ['--config', config]);
    expect(r.code).toBe(0);
    expect(firstLoss(r.stdout)).toBeCloseTo(1, 5);
  }, 60_000);

  it('a list of the wrong length is a typed error naming loss_weights', async () => {
    const r = await dpo('bad', ['--loss-type', '["sigmoid","sft"]', '--loss-weights', '[1]']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^rlhf: DPOTrainer: option 'loss_weights' = \[1\] is not allowed; expected a list of 2 weights.*\[CONFIG_INVALID\]\n$/,
    );
  }, 60_000);
});
