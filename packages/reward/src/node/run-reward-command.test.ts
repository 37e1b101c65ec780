import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsBackend } from '@rlhf/backend-js';
import { convertLlama2c } from '@rlhf/models';
import { writeHfDirectory } from '@rlhf/models/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORIES260K_DIR } from '../__fixtures__/stories260k.js';
import { NotARewardModelError } from '../errors/reward-errors.js';
import { loadRewardModel } from './reward-model-directory.js';
import { runRewardCommand } from './run-reward-command.js';
import { runScoreCommand } from './run-score-command.js';

const dir = mkdtempSync(join(tmpdir(), 'rlhf-run-reward-'));
const backend = createJsBackend();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pairs = [
  { prompt: '', chosen: 'The cat sat.', rejected: 'The dog ran.' },
  { prompt: '', chosen: 'A cat was happy.', rejected: 'A boy was sad.' },
  { prompt: '', chosen: 'Tom had a cat.', rejected: 'Tom had a toy.' },
  { prompt: '', chosen: 'The cat was soft.', rejected: 'The bed was soft.' },
];

describe('runRewardCommand / runScoreCommand (the cores of rlhf reward and rlhf score)', () => {
  beforeAll(async () => {
    const content = convertLlama2c(
      readFileSync(`${STORIES260K_DIR}stories260K.bin`),
      readFileSync(`${STORIES260K_DIR}tok512.bin`),
    );
    await writeHfDirectory(join(dir, 'lm'), content);
    writeFileSync(join(dir, 'prefs.jsonl'), `${pairs.map((p) => JSON.stringify(p)).join('\n')}\n`);
    writeFileSync(
      join(dir, 'bad.jsonl'),
      `${JSON.stringify(pairs[0])}\n\n${JSON.stringify({ prompt: 'x', chosen: 'y' })}\n`,
    );
    writeFileSync(join(dir, 'texts.json'), JSON.stringify(['The cat ran.', 'A dog.', 'Lily smiled.']));
  });

  it('LM directory + JSONL → trained reward model saved with μ, σ; scoring the saved model uses them', async () => {
    const model = await loadRewardModel(join(dir, 'lm'), { backend, newHeadSeed: 42 });
    const history = join(dir, 'logs', 'history.jsonl');
    const { result, stats } = await runRewardCommand({
      model,
      data: join(dir, 'prefs.jsonl'),
      out: join(dir, 'rm'),
      history_file: history,
      options: { so_vong: 2, toc_do_hoc: 1e-3, kich_thuoc_batch: 2, logging_steps: 1 },
    });
    expect(result.global_step).toBe(4);
    expect(stats.pairs).toBe(4);
    expect(readFileSync(history, 'utf8').trim().split('\n')).toHaveLength(4);
    const config = JSON.parse(readFileSync(join(dir, 'rm', 'config.json'), 'utf8'));
    expect(config.architectures).toEqual(['LlamaForSequenceClassification']);
    expect(config.score_normalization).toEqual({ mean: result.score_mean, std: result.score_std, count: 8 });
    const saved = await loadRewardModel(join(dir, 'rm'), { backend });
    const records = await runScoreCommand({ model: saved, texts: join(dir, 'texts.json') });
    expect(records.map((r) => r.van_ban)).toEqual(['The cat ran.', 'A dog.', 'Lily smiled.']);
    for (const r of records)
      expect(r.score_normalized).toBeCloseTo((r.score - result.score_mean) / result.score_std, 10);
  });

  it('a bad record is reported with its file line; skip_invalid leaves it out and says so', async () => {
    const model = await loadRewardModel(join(dir, 'lm'), { backend, newHeadSeed: 1 });
    await expect(runRewardCommand({ model, data: join(dir, 'bad.jsonl') })).rejects.toThrow(
      /bad\.jsonl line 3 .*record 1/,
    );
    const { skipped, stats } = await runRewardCommand({
      model,
      data: join(dir, 'bad.jsonl'),
      skip_invalid: true,
      options: { toc_do_hoc: 1e-4 },
    });
    expect(skipped.map((s) => s.line)).toEqual([3]);
    expect(stats.pairs).toBe(1);
  });

  it('loading a plain LM directory as a reward model without newHeadSeed is a NotARewardModelError', async () => {
    await expect(loadRewardModel(join(dir, 'lm'), { backend })).rejects.toThrow(NotARewardModelError);
  });
});
