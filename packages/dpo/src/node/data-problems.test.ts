import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsBackend } from '@rlhf/backend-js';
import { tokenizePreferencePair, toPreferencePair } from '@rlhf/preference-data';
import { runRewardCommand } from '@rlhf/reward/node';
import { prepareDataset } from '@rlhf/sft';
import { describe, expect, it } from 'vitest';
import { loadStories260K, stories260KTokenizer } from '../__fixtures__/data.js';
import { runDpoCommand } from './run-dpo-command.js';

const backend = createJsBackend();
const tokenizer = stories260KTokenizer();
const dir = mkdtempSync(join(tmpdir(), 'rlhf-data-problems-'));
const huge = 'Once upon a time, there was a little dog. '.repeat(250_000); // 10.5 MB

describe('huge records are cut before tokenising (cost bounded by max_seq_length)', () => {
  it('a 10 MB response: tokenised in bounded time, same tokens as its first 100 KB', () => {
    const options = { maxSeqLength: 64, vocabSize: 512 };
    const t0 = performance.now();
    const cut = tokenizePreferencePair(
      toPreferencePair({ prompt: 'Lily', chosen: huge, rejected: ' no' }, 0),
      tokenizer,
      options,
      0,
    );
    const ms = performance.now() - t0;
    const small = tokenizePreferencePair(
      toPreferencePair({ prompt: 'Lily', chosen: huge.slice(0, 100_000), rejected: ' no' }, 0),
      tokenizer,
      options,
      0,
    );
    expect(cut).toEqual(small);
    expect(cut.truncated).toBe(true);
    expect(cut.prompt.length + cut.chosen.length).toBe(64);
    expect(ms).toBeLessThan(2_000);
  });

  it('a 10 MB SFT text record: one example of max_seq_length tokens, counted as truncated', async () => {
    const t0 = performance.now();
    const { examples, truncated } = await prepareDataset([{ text: huge }], {
      dataset: 'du_lieu_train',
      tokenizer,
      maxSeqLength: 64,
      vocabSize: 512,
      completionOnlyLoss: true,
      assistantOnlyLoss: false,
      packing: false,
    });
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(truncated).toBe(1);
    expect(examples[0]?.input_ids.length).toBe(64);
  });
});

describe('chosen == rejected and --skip_invalid are counted', () => {
  const lines = [
    { prompt: 'Lily saw a cat.', chosen: ' She smiled.', rejected: ' She cried.' },
    { prompt: 'Tom had a ball.', chosen: ' He played.', rejected: ' He played.' },
    { prompt: 'The sun was up.', chosen: ' It was warm.', rejected: '' },
    { prompt: 'Mia had a hat.', chosen: ' It was red.', rejected: ' It was lost.' },
  ];
  const data = join(dir, 'pairs.jsonl');
  writeFileSync(data, lines.map((l) => JSON.stringify(l)).join('\n'));
  const options = { kich_thuoc_batch: 3, gradient_accumulation: 1, max_seq_length: 32 };

  it('dpo: identical_pairs in thong_ke(), skipped_pairs with the skipped line', async () => {
    const { stats, skipped } = await runDpoCommand({
      model: loadStories260K(backend),
      data,
      skip_invalid: true,
      options,
    });
    expect(stats.identical_pairs).toBe(1);
    expect(stats.skipped_pairs).toBe(1);
    expect(stats.pairs).toBe(3);
    expect(skipped.map((s) => s.line)).toEqual([3]);
  });

  it('reward: identical_pairs in thong_ke(), skipped_pairs with the skipped line', async () => {
    const { stats, skipped } = await runRewardCommand({
      model: loadStories260K(backend),
      data,
      skip_invalid: true,
      options,
    });
    expect(stats.identical_pairs).toBe(1);
    expect(stats.skipped_pairs).toBe(1);
    expect(skipped.map((s) => s.line)).toEqual([3]);
  });
});
