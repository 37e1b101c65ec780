import { createJsBackend } from '@rlhf/backend-js';
import { ConfigError, InvalidArgumentError, MemoryCheckpointStorage, NonFiniteError } from '@rlhf/core';
import { expectTypedError } from '@rlhf/core/testing';
import { describe, expect, it } from 'vitest';
import { loadStories260K } from './__fixtures__/data.js';
import type { DPOConfig } from './dpo-config.js';
import { DPOTrainer } from './dpo-trainer.js';

const backend = createJsBackend();
const pairs = Array.from({ length: 4 }, (_, i) => ({
  prompt: `Tom had ${i} balls.`,
  chosen: ' He played with a big dog.',
  rejected: ' He was sad.',
}));
const small = { max_seq_length: 32, logging_steps: 1 } as const;

async function weights(model: ReturnType<typeof loadStories260K>): Promise<number[]> {
  return [...(await model.stateDict()).values()].flatMap((t) => Array.from(t.data));
}

describe('bad input: DPOTrainer non-finite runs (stories260K)', () => {
  it("non-finite: loss_type 'ipo' with beta 1e-30 (1/(2β) squared overflows) stops at step 1, micro-batch 1/2, before any update", async () => {
    const model = loadStories260K(backend);
    const storage = new MemoryCheckpointStorage();
    const error = (await expectTypedError(
      () =>
        new DPOTrainer({
          ...small,
          loss_type: 'ipo',
          beta: 1e-30,
          checkpoint_storage: storage,
          save_steps: 1,
        }).huan_luyen(model, null, pairs),
      { type: NonFiniteError, code: 'NON_FINITE', mentions: ['DPOTrainer', 'step 1', 'micro-batch 1/2', 'Infinity'] },
    )) as NonFiniteError;
    expect(error.quantity).toBe('loss');
    expect(await weights(model)).toEqual(await weights(loadStories260K(backend)));
    expect(await storage.list()).toEqual([]);
  });

  it('non-finite: beta 1e38 (sigmoid) overflows the gradient: NonFiniteError naming the gradient norm of step 1, weights untouched', async () => {
    const model = loadStories260K(backend);
    const error = (await expectTypedError(
      () => new DPOTrainer({ ...small, beta: 1e38, toc_do_hoc: 1e-3 }).huan_luyen(model, null, pairs),
      { type: NonFiniteError, mentions: ['gradient norm', 'step 1'] },
    )) as NonFiniteError;
    expect(error.quantity).toBe('gradient norm');
    expect(await weights(model)).toEqual(await weights(loadStories260K(backend)));
  });

  it("non-finite: loss_type 'hinge' with beta 1e38 stops at step 1 too", async () => {
    await expectTypedError(
      () =>
        new DPOTrainer({ ...small, loss_type: 'hinge', beta: 1e38, toc_do_hoc: 1e-3 }).huan_luyen(
          loadStories260K(backend),
          null,
          pairs,
        ),
      { type: NonFiniteError, mentions: ['DPOTrainer', 'step 1'] },
    );
  });

  it("non-finite: 'ipo' beta 1e-30 with skip_nonfinite_steps finishes with its one step skipped and the weights unchanged", async () => {
    const model = loadStories260K(backend);
    const trainer = new DPOTrainer({ ...small, loss_type: 'ipo', beta: 1e-30, skip_nonfinite_steps: true });
    const result = await trainer.huan_luyen(model, null, pairs);
    expect(trainer.thong_ke()).toMatchObject({ global_step: 1, skipped_steps: 1 }); // 4 pairs = 2 micro-batches of 2 = 1 step
    expect(result.history.skipped_steps).toEqual([1]);
    expect(result.history.train_loss.every(Number.isNaN)).toBe(true);
    expect(await weights(model)).toEqual(await weights(loadStories260K(backend)));
  });
});

describe('bad input: DPOTrainer options', () => {
  it.each([
    ['options: beta 1e308 (overflows float32)', { beta: 1e308 }, 'beta'],
    ["options: beta 1e-300 with loss_type 'ipo' (underflows float32)", { beta: 1e-300, loss_type: 'ipo' }, 'beta'],
    ['options: beta NaN', { beta: Number.NaN }, 'beta'],
    ['options: an array instead of an object', [0.1], '(options)'],
    ['options: beta Infinity', { beta: Number.POSITIVE_INFINITY }, 'beta'],
    ['options: beta "0.1" (a string)', { beta: '0.1' }, 'beta'],
    ['options: label_smoothing 0.6', { label_smoothing: 0.6 }, 'label_smoothing'],
    [
      "options: label_smoothing 0.5 with loss_type 'robust'",
      { label_smoothing: 0.5, loss_type: 'robust' },
      'label_smoothing',
    ],
    ["options: loss_type 'kto'", { loss_type: 'kto' }, 'loss_type'],
    ['options: max_prompt_length ≥ max_seq_length', { max_prompt_length: 64, max_seq_length: 64 }, 'max_prompt_length'],
    ['options: toc_do_hoc -Infinity', { toc_do_hoc: Number.NEGATIVE_INFINITY }, 'toc_do_hoc'],
  ] as const)('%s', async (_title, options, key) => {
    await expectTypedError(() => new DPOTrainer(options as unknown as DPOConfig), {
      type: ConfigError,
      code: 'CONFIG_INVALID',
      mentions: ['DPOTrainer', `'${key}'`],
    });
  });
});

describe('bad input: DPOTrainer.huan_luyen arguments of the wrong kind', () => {
  const model = loadStories260K(backend);
  it.each([
    ['arguments: model null', () => new DPOTrainer().huan_luyen(null as never, null, pairs), ["'model'", 'null']],
    [
      'arguments: model without forward()',
      () => new DPOTrainer().huan_luyen({ parameters: () => [] } as never, null, pairs),
      ["'model'", 'forward()'],
    ],
    [
      'arguments: ref_model without parameters()',
      () => new DPOTrainer().huan_luyen(model, { forward: () => null } as never, pairs),
      ["'ref_model'", 'parameters()'],
    ],
    [
      'arguments: preference_data null',
      () => new DPOTrainer().huan_luyen(model, null, null as never),
      ['preference_data'],
    ],
    [
      'arguments: preference_data a number',
      () => new DPOTrainer().huan_luyen(model, null, 42 as never),
      ['preference_data'],
    ],
    [
      'arguments: tokenizer a number',
      () => new DPOTrainer().huan_luyen(model, null, pairs, 7 as never),
      ["'tokenizer'", '7'],
    ],
    [
      'arguments: callback an array',
      () => new DPOTrainer().huan_luyen(model, null, pairs, null, [] as never),
      ["'callback'", 'function'],
    ],
  ] as const)('%s', async (_title, run, mentions) => {
    await expectTypedError(run, {
      type: InvalidArgumentError,
      code: 'INVALID_ARGUMENT',
      mentions: ['DPOTrainer.huan_luyen', ...mentions],
    });
  });
});

describe('bad input: a ref_model on another backend instance', () => {
  it('names two instances of one backend without contradicting itself', async () => {
    const error = await expectTypedError(
      () => new DPOTrainer(small).huan_luyen(loadStories260K(backend), loadStories260K(createJsBackend()), pairs),
      { type: InvalidArgumentError, mentions: ["'ref_model'", '"js"', 'two separate instances', 'one backend object'] },
    );
    expect(error.message).not.toMatch(/another backend than/);
  });

  it("names both backends when they differ (a renamed instance stands in for another backend's)", async () => {
    const other = Object.create(createJsBackend(), { name: { value: 'other' } }) as ReturnType<typeof createJsBackend>;
    await expectTypedError(
      () => new DPOTrainer(small).huan_luyen(loadStories260K(backend), loadStories260K(other), pairs),
      { type: InvalidArgumentError, mentions: ["'ref_model'", '"other"', "not the policy's backend ('js')"] },
    );
  });
});
