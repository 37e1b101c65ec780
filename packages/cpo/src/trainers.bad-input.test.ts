import { createJsBackend } from '@rlhf/backend-js';
import { ConfigError, InvalidArgumentError, OptionSpellingError } from '@rlhf/core';
import { expectTypedError } from '@rlhf/core/testing';
import { PreferenceDataError } from '@rlhf/dpo';
import { describe, expect, it } from 'vitest';
import { loadStories260K } from './__fixtures__/data.js';
import { CPOTrainer } from './cpo-trainer.js';
import { ORPOTrainer } from './orpo-trainer.js';

describe('bad input: options of ORPOTrainer and CPOTrainer are typed errors naming the key', () => {
  const bad: { make: () => unknown; mentions: string[] }[] = [
    { make: () => new ORPOTrainer({ beta: 0 }), mentions: ['ORPOTrainer', "'beta'", '> 0'] },
    { make: () => new ORPOTrainer({ beta: Number.NaN }), mentions: ['ORPOTrainer', "'beta'"] },
    {
      make: () => new ORPOTrainer({ max_seq_length: 64, max_prompt_length: 64 }),
      mentions: ['ORPOTrainer', "'max_prompt_length'", 'max_seq_length (64)'],
    },
    // ORPO has no reference, loss type or smoothing: DPO's keys are unknown options, not silently ignored.
    { make: () => new ORPOTrainer({ ref_model: null } as never), mentions: ['ORPOTrainer', 'ref_model'] },
    { make: () => new ORPOTrainer({ loss_type: 'sigmoid' } as never), mentions: ['ORPOTrainer', 'loss_type'] },
    {
      make: () => new CPOTrainer({ loss_type: 'alphapo' as never }),
      mentions: ['CPOTrainer', "'loss_type'", "'simpo'"],
    },
    { make: () => new CPOTrainer({ cpo_alpha: -1 }), mentions: ['CPOTrainer', "'cpo_alpha'"] },
    {
      make: () => new CPOTrainer({ simpo_gamma: Number.POSITIVE_INFINITY }),
      mentions: ['CPOTrainer', "'simpo_gamma'"],
    },
    { make: () => new CPOTrainer({ label_smoothing: 0.6 }), mentions: ['CPOTrainer', "'label_smoothing'"] },
    { make: () => new CPOTrainer({ beta: -2 }), mentions: ['CPOTrainer', "'beta'"] },
    // PEFT's keys only: `rank` is not one (it is `r`).
    {
      make: () => new ORPOTrainer({ lora: { rank: 4 } as never }),
      mentions: ['ORPOTrainer', "'lora'", 'r, lora_alpha'],
    },
    { make: () => new CPOTrainer({ lora: [] as never }), mentions: ['CPOTrainer', "'lora'"] },
  ];
  for (const { make, mentions } of bad) {
    it(mentions.join(' '), async () => {
      await expectTypedError(make, { type: ConfigError, mentions });
    });
  }

  it("TRL's names are aliases, and both spellings at once are refused", async () => {
    expect(new CPOTrainer({ learning_rate: 1e-4 } as never).options.toc_do_hoc).toBe(1e-4);
    await expectTypedError(() => new ORPOTrainer({ toc_do_hoc: 1e-4, learning_rate: 1e-3 } as never), {
      type: OptionSpellingError,
      mentions: ['ORPOTrainer', 'toc_do_hoc', 'learning_rate'],
    });
  });
});

describe('bad input: huan_luyen arguments and data', () => {
  const backend = createJsBackend();

  it('no model: InvalidArgumentError naming the method and the argument', async () => {
    await expectTypedError(() => new ORPOTrainer().huan_luyen(null as never, []), {
      type: InvalidArgumentError,
      mentions: ['ORPOTrainer.huan_luyen', 'model'],
    });
  });

  it('a record without rejected: PreferenceDataError naming preference_data[1]', async () => {
    const model = loadStories260K(backend);
    await expectTypedError(
      () =>
        new CPOTrainer({ max_seq_length: 32 }).huan_luyen(model, [
          { prompt: 'a', chosen: ' b', rejected: ' c' },
          { prompt: 'a', chosen: ' b' },
        ]),
      { type: PreferenceDataError, mentions: ['preference_data[1]', "missing 'rejected'"] },
    );
    model.dispose();
  });

  it('empty data: PreferenceDataError, nothing trained', async () => {
    const model = loadStories260K(backend);
    const trainer = new ORPOTrainer();
    await expectTypedError(() => trainer.huan_luyen(model, []), { type: PreferenceDataError, mentions: ['empty'] });
    expect(trainer.thong_ke().global_step).toBe(0);
    model.dispose();
  });
});
