import { createJsBackend } from '@rlhf/backend-js';
import { describe, expect, it } from 'vitest';
import { loadStories260K } from './__fixtures__/data.js';
import { CPO_DEFAULTS } from './cpo-config.js';
import { CPOTrainer } from './cpo-trainer.js';
import { CPO_LOSS_TYPES } from './losses/registry.js';

const PAIRS = [
  { prompt: 'Once upon a time, there was a girl.', chosen: ' She had a big dog.', rejected: ' She was sad.' },
  { prompt: 'Tom went to the park.', chosen: ' He saw a big tree.', rejected: ' He fell down.' },
];
const SMALL = { kich_thuoc_batch: 2, gradient_accumulation: 1, toc_do_hoc: 1e-3, logging_steps: 1, max_seq_length: 32 };

describe('CPOTrainer: the seed style, every loss_type', () => {
  it("TRL's CPOConfig defaults: sigmoid, β 0.1, cpo_alpha 1, simpo_gamma 0.5, learning rate 1e-6", () => {
    expect(new CPOTrainer().options).toMatchObject(CPO_DEFAULTS);
    expect(CPO_DEFAULTS).toMatchObject({ toc_do_hoc: 1e-6, beta: 0.1, cpo_alpha: 1, simpo_gamma: 0.5 });
    expect(new CPOTrainer().options.loss_type).toBe('sigmoid');
  });

  for (const loss_type of CPO_LOSS_TYPES) {
    it(`${loss_type}: one step, seed result keys, CPO history columns, lay_lich_su() = result.history, thong_ke()`, async () => {
      const model = loadStories260K(createJsBackend());
      const trainer = new CPOTrainer({ ...SMALL, loss_type, cpo_alpha: loss_type === 'simpo' ? 0 : 1, beta: 2 });
      const result = await trainer.huan_luyen(model, PAIRS);
      expect(Object.keys(result.history)).toEqual([
        'train_loss',
        'chosen_rewards',
        'rejected_rewards',
        'reward_margin',
        'reward_accuracy',
        'chosen_logps',
        'rejected_logps',
        'nll_loss',
        'learning_rate',
        'grad_norm',
        'step',
        'records',
      ]);
      expect(result.global_step).toBe(1);
      const h = result.history;
      // length-normalised losses log mean token log-probs (> −10 here), the others sums (< −10 for 5+ tokens)
      if (loss_type === 'ipo' || loss_type === 'simpo') expect(h.chosen_logps[0]).toBeGreaterThan(-10);
      else expect(h.chosen_logps[0]).toBeLessThan(-10);
      expect(h.chosen_rewards[0]).toBeCloseTo(2 * (h.chosen_logps[0] as number), 4);
      expect(Number.isFinite(result.train_loss_min)).toBe(true);
      expect(trainer.lay_lich_su()).toEqual(result.history);
      expect(trainer.thong_ke()).toMatchObject({ loss_type, beta: 2, pairs: 2, global_step: 1 });
      model.dispose();
    });
  }
});
