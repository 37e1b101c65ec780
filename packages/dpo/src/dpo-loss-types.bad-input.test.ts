import { ConfigError } from '@rlhf/core';
import { expectTypedError } from '@rlhf/core/testing';
import { describe, it } from 'vitest';
import type { DPOConfig } from './dpo-config.js';
import { DPOTrainer } from './dpo-trainer.js';

/** Every valid name appears in the message of a bad `loss_type`. */
const ALL_NAMES = [
  "'sigmoid'",
  "'hinge'",
  "'ipo'",
  "'exo_pair'",
  "'nca_pair'",
  "'robust'",
  "'bco_pair'",
  "'sppo_hard'",
  "'aot'",
  "'aot_unpaired'",
  "'apo_zero'",
  "'apo_down'",
  "'discopop'",
  "'sft'",
  "'sigmoid_norm'",
];

describe('bad input: loss_type, loss_weights and the losses’ options', () => {
  it.each([
    ["loss_type: an unknown name ('kto')", { loss_type: 'kto' }, 'loss_type', ['"kto"', ...ALL_NAMES]],
    [
      "loss_type: a list with an unknown name (['sigmoid', 'simpo'])",
      { loss_type: ['sigmoid', 'simpo'] },
      'loss_type',
      ['"simpo"', ...ALL_NAMES],
    ],
    ['loss_type: an empty list', { loss_type: [] }, 'loss_type', ['[]', 'non-empty list', ...ALL_NAMES]],
    ['loss_type: a number', { loss_type: 3 }, 'loss_type', ALL_NAMES],
    ['loss_type: a name in another case (SIGMOID)', { loss_type: 'SIGMOID' }, 'loss_type', ['"SIGMOID"']],
    [
      'loss_weights: 2 weights for 3 losses',
      { loss_type: ['sigmoid', 'bco_pair', 'sft'], loss_weights: [0.8, 0.2] },
      'loss_weights',
      ['[0.8,0.2]', 'a list of 3 weights', "'sigmoid', 'bco_pair', 'sft'"],
    ],
    [
      'loss_weights: 2 weights for one loss name',
      { loss_type: 'ipo', loss_weights: [1, 1] },
      'loss_weights',
      ['a list of 1 weight', "'ipo'"],
    ],
    [
      'loss_weights: without a list, the default sigmoid takes 1 weight',
      { loss_weights: [1, 2] },
      'loss_weights',
      ['a list of 1 weight'],
    ],
    [
      'loss_weights: a negative weight',
      { loss_type: ['sigmoid', 'sft'], loss_weights: [1, -0.5] },
      'loss_weights',
      ['≥ 0'],
    ],
    ['loss_weights: NaN', { loss_type: ['sigmoid', 'sft'], loss_weights: [1, Number.NaN] }, 'loss_weights', ['finite']],
    [
      'loss_weights: Infinity',
      { loss_type: ['sigmoid', 'sft'], loss_weights: [Number.POSITIVE_INFINITY, 1] },
      'loss_weights',
      ['finite'],
    ],
    ['loss_weights: all zero', { loss_type: ['sigmoid', 'sft'], loss_weights: [0, 0] }, 'loss_weights', ['not all 0']],
    ['loss_weights: an empty list', { loss_weights: [] }, 'loss_weights', ['non-empty']],
    ["loss_weights: a string '1,1'", { loss_weights: '1,1' }, 'loss_weights', ['"1,1"']],
    [
      "label_smoothing 0 with 'exo_pair' (log ε)",
      { loss_type: 'exo_pair' },
      'label_smoothing',
      ["'exo_pair'", '(0, 0.5]', '1e-3'],
    ],
    [
      "label_smoothing 0.5 with 'robust' inside a list",
      { loss_type: ['sigmoid', 'robust'], label_smoothing: 0.5 },
      'label_smoothing',
      ["'robust'", '[0, 0.5)'],
    ],
    ['discopop_tau 0', { loss_type: 'discopop', discopop_tau: 0 }, 'discopop_tau', ['> 0']],
    ['discopop_tau -1', { discopop_tau: -1 }, 'discopop_tau', ['> 0']],
  ] as const)('%s', async (_title, options, key, mentions) => {
    await expectTypedError(() => new DPOTrainer(options as unknown as DPOConfig), {
      type: ConfigError,
      code: 'CONFIG_INVALID',
      mentions: ['DPOTrainer', `'${key}'`, ...mentions],
    });
  });
});
