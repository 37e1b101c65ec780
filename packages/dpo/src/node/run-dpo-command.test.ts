import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsBackend } from '@rlhf/backend-js';
import { ConfigError } from '@rlhf/core';
import type { LlamaForCausalLM } from '@rlhf/models';
import { loadModel } from '@rlhf/models/node';
import { PreferenceFileError } from '@rlhf/preference-data/node';
import { describe, expect, it } from 'vitest';
import { loadStories260K } from '../__fixtures__/data.js';
import { runDpoCommand } from './run-dpo-command.js';

const backend = createJsBackend();
const dir = mkdtempSync(join(tmpdir(), 'dpo-cmd-'));
const lines = [
  { prompt: 'Lily saw a cat.', chosen: ' She smiled.', rejected: ' She cried.' },
  { prompt: 'Tom had a ball.', chosen: ' He played.', rejected: ' It broke.' },
  { prompt: 'The sun was up.', chosen: ' It was warm.', rejected: '' },
  { prompt: 'Mia had a hat.', chosen: ' It was red.', rejected: ' It was lost.' },
].map((r) => JSON.stringify(r));
writeFileSync(join(dir, 'pairs.jsonl'), `${lines.slice(0, 2).join('\n')}\n\n${lines.slice(2).join('\n')}\n`);

describe('runDpoCommand (the core of `rlhf dpo`)', () => {
  it('a bad record is reported with its file and line; nothing is written', async () => {
    const out = join(dir, 'out-bad');
    const error = await runDpoCommand({ model: loadStories260K(backend), data: join(dir, 'pairs.jsonl'), out }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PreferenceFileError);
    expect((error as Error).message).toBe(`${join(dir, 'pairs.jsonl')} line 4 (record 2, rejected) is empty.`);
    expect(existsSync(out)).toBe(false);
  });

  it('bad options fail before the file is read', async () => {
    const error = await runDpoCommand({
      model: loadStories260K(backend),
      data: join(dir, 'missing.jsonl'),
      options: { beta: -1 },
    }).catch((e: unknown) => e);
    expect(ConfigError.isInstance(error)).toBe(true);
  });

  it('skip_invalid trains on the rest, writes the JSONL history and a model directory that loads', async () => {
    const out = join(dir, 'out');
    const history = join(dir, 'logs', 'history.jsonl');
    const model = loadStories260K(backend);
    const seen: number[] = [];
    const { result, stats, skipped } = await runDpoCommand({
      model,
      data: join(dir, 'pairs.jsonl'),
      skip_invalid: true,
      out,
      history_file: history,
      options: { kich_thuoc_batch: 3, gradient_accumulation: 1, logging_steps: 1, toc_do_hoc: 1e-3, so_vong: 2 },
      on_record: (r) => {
        seen.push(r.step);
      },
    });
    expect(skipped).toEqual([{ index: 2, line: 4, reason: 'preference_data[2].rejected is empty.' }]);
    expect(stats.pairs).toBe(3);
    expect(result.global_step).toBe(2);
    expect(seen).toEqual([1, 2]);
    const logged = readFileSync(history, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { step: number; loss: number; metrics: Record<string, number> });
    expect(logged.map((r) => r.step)).toEqual([1, 2]);
    expect(logged[0]?.loss).toBeCloseTo(Math.LN2, 6);
    expect(logged[1]?.metrics.reward_margin).toBe(result.final_reward_margin);
    const reloaded = await loadModel(out, { backend });
    const a = Array.from(await (reloaded as LlamaForCausalLM).model.norm.weight.data());
    expect(a).toEqual(Array.from(await (model as LlamaForCausalLM).model.norm.weight.data()));
    expect(reloaded.tokenizer?.encode('Once upon a time')).toEqual([1, 403, 407, 261, 378]);
  });
});
