import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.js';
import { trainingOptions } from './training-flags.js';

describe('training options from flags and --config', () => {
  it('takes flags in kebab-case or snake_case as snake_case option keys, values as JSON', async () => {
    const args = parseArgs(['sft', '--model', 'm', '--so-vong', '2', '--toc_do_hoc', '1e-4', '--lora', '{"r":8}']);
    expect(await trainingOptions(args, ['model'])).toEqual({ so_vong: 2, toc_do_hoc: 1e-4, lora: { r: 8 } });
    expect([...args.flags.keys()]).toEqual(['model', 'so-vong', 'toc-do-hoc', 'lora']);
  });

  it('a flag overrides a --config key of the same option, whichever spelling each uses', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rlhf-flags-')), 'c.json');
    writeFileSync(file, JSON.stringify({ learning_rate: 1e-3, so_vong: 3, beta: 0.2 }));
    const args = parseArgs(['dpo', '--config', file, '--toc-do-hoc', '5e-4', '--num-train-epochs', '1']);
    expect(await trainingOptions(args, [])).toEqual({ toc_do_hoc: 5e-4, num_train_epochs: 1, beta: 0.2 });
  });

  it('keeps both spellings given in the file itself, for the trainer to refuse', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rlhf-flags-')), 'c.json');
    writeFileSync(file, JSON.stringify({ learning_rate: 1e-3, toc_do_hoc: 1e-4 }));
    expect(await trainingOptions(parseArgs(['sft', '--config', file]), [])).toEqual({
      learning_rate: 1e-3,
      toc_do_hoc: 1e-4,
    });
  });
});
