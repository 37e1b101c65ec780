import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, InvalidArgumentError, NonFiniteError } from '@rlhf/core';
import { expectTypedError } from '@rlhf/core/testing';
import { parseSafetensors } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { flatWeights, stories260K, tinyLlama } from './__fixtures__/models.js';
import type { SFTConfig } from './sft-config.js';
import { SFTTrainer } from './sft-trainer.js';

const texts = Array.from({ length: 8 }, (_, i) => ({ text: `Once upon a time there was a cat number ${i}.` }));
const small = { so_vong: 1, kich_thuoc_batch: 2, gradient_accumulation: 1, max_seq_length: 32 } as const;
const tokenised = [{ input_ids: [1, 2, 3, 4], labels: [-100, 2, 3, 4] }];

describe('bad input: SFTTrainer non-finite runs (stories260K)', () => {
  it('non-finite: toc_do_hoc 1e30 stops with NonFiniteError naming step 3; no checkpoint holds a NaN, none of step 3', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlhf-sft-nan-'));
    const trainer = new SFTTrainer({ ...small, toc_do_hoc: 1e30, output_dir: dir, save_steps: 1 });
    const error = (await expectTypedError(() => trainer.huan_luyen(stories260K(), texts), {
      type: NonFiniteError,
      code: 'NON_FINITE',
      mentions: ['SFTTrainer', 'step 3', 'micro-batch 1/1', 'NaN', 'skip_nonfinite_steps'],
    })) as NonFiniteError;
    expect(error).toMatchObject({ step: 3, quantity: 'loss' });
    const written = readdirSync(dir).filter((n) => n.startsWith('checkpoint-'));
    expect(written.sort()).toEqual(['checkpoint-1', 'checkpoint-2']);
    for (const name of written) {
      const { tensors } = parseSafetensors(readFileSync(join(dir, name, 'model.safetensors')));
      for (const [tname, t] of tensors) expect(t.data.every(Number.isFinite), `${name}/${tname}`).toBe(true);
    }
    expect(trainer.thong_ke().global_step).toBe(2);
  });

  it('non-finite: toc_do_hoc 1e30 with skip_nonfinite_steps finishes, reporting the 2 skipped steps', async () => {
    const trainer = new SFTTrainer({ ...small, toc_do_hoc: 1e30, skip_nonfinite_steps: true, logging_steps: 1 });
    const model = stories260K();
    const result = await trainer.huan_luyen(model, texts);
    expect(trainer.thong_ke()).toMatchObject({ global_step: 4, skipped_steps: 2 });
    expect(result.history.skipped_steps).toEqual([0, 0, 1, 1]);
    expect(trainer.lay_lich_su()).toEqual(result.history);
    expect((await flatWeights(model)).every(Number.isFinite)).toBe(true);
  });
});

describe('bad input: SFTTrainer.huan_luyen arguments of the wrong kind', () => {
  const model = tinyLlama(1);
  const cases: [string, () => Promise<unknown>, string[]][] = [
    ['arguments: model null', () => new SFTTrainer(small).huan_luyen(null as never, tokenised), ["'model'", 'null']],
    [
      'arguments: model without forward()',
      () => new SFTTrainer(small).huan_luyen({ parameters: () => [] } as never, tokenised),
      ["'model'", 'forward()'],
    ],
    [
      'arguments: model a string (a path)',
      () => new SFTTrainer(small).huan_luyen('models/x' as never, tokenised),
      ["'model'", 'models/x'],
    ],
    ['arguments: du_lieu_train null', () => new SFTTrainer(small).huan_luyen(model, null as never), ['du_lieu_train']],
    [
      'arguments: du_lieu_train a file name',
      () => new SFTTrainer(small).huan_luyen(model, 'train.jsonl' as never),
      ['du_lieu_train', 'train.jsonl'],
    ],
    ['arguments: du_lieu_train a number', () => new SFTTrainer(small).huan_luyen(model, 5 as never), ['du_lieu_train']],
    [
      'arguments: du_lieu_val an object',
      () => new SFTTrainer(small).huan_luyen(model, tokenised, {} as never),
      ['du_lieu_val'],
    ],
    [
      'arguments: tokenizer a string',
      () => new SFTTrainer(small).huan_luyen(model, tokenised, null, 'gpt2' as never),
      ["'tokenizer'", 'encode()'],
    ],
    [
      'arguments: tokenizer an object without encode',
      () => new SFTTrainer(small).huan_luyen(model, tokenised, null, {} as never),
      ["'tokenizer'"],
    ],
    [
      'arguments: callback a string',
      () => new SFTTrainer(small).huan_luyen(model, tokenised, null, null, 'log' as never),
      ["'callback'", 'function'],
    ],
  ];
  it.each(cases)('%s', async (_title, run, mentions) => {
    await expectTypedError(run, {
      type: InvalidArgumentError,
      code: 'INVALID_ARGUMENT',
      mentions: ['SFTTrainer.huan_luyen', ...mentions],
    });
  });
  it('arguments: a rejected call touches nothing (the model keeps its weights)', async () => {
    const before = await flatWeights(model);
    await expect(new SFTTrainer(small).huan_luyen(model, tokenised, null, null, 3 as never)).rejects.toThrow();
    expect(await flatWeights(model)).toEqual(before);
  });
});

describe('bad input: SFTTrainer options of its own', () => {
  it.each([
    ['options: max_seq_length 1', { max_seq_length: 1 }, 'max_seq_length'],
    ['options: packing "yes"', { packing: 'yes' }, 'packing'],
    ['options: lora a string', { lora: 'r=8' }, 'lora'],
    ['options: lora.r 0', { lora: { r: 0 } }, 'lora.r'],
    ['options: completion_only_loss 1', { completion_only_loss: 1 }, 'completion_only_loss'],
    ['options: toc_do_hoc -1e-4', { toc_do_hoc: -1e-4 }, 'toc_do_hoc'],
    ['options: null instead of an object', null, '(options)'],
  ] as const)('%s', async (_title, options, key) => {
    await expectTypedError(() => new SFTTrainer(options as unknown as SFTConfig), {
      type: ConfigError,
      mentions: ['SFTTrainer', `'${key}'`],
    });
  });
});
