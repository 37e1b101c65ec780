import { createJsBackend } from '@rlhf/backend-js';
import { InvalidArgumentError, TrainingDataError } from '@rlhf/core';
import { expectTypedError } from '@rlhf/core/testing';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, loadStories260K } from './__fixtures__/data.js';
import { KtoDataError } from './errors/kto-data-error.js';
import { KTOTrainer } from './kto-trainer.js';
import { weightWarning } from './weight-warning.js';

const backend = createJsBackend();
const small = { kich_thuoc_batch: 2, gradient_accumulation: 1, max_seq_length: 32, logging_steps: 1 } as const;
const good = { prompt: 'Tom had a ball.', completion: ' He smiled.', label: true };

/** Trains on `data` and expects a KtoDataError of `kind` naming each of `mentions`; nothing trains. */
async function rejects(data: unknown[], kind: string, mentions: (string | RegExp)[]) {
  const model = loadStories260K(backend);
  const error = (await expectTypedError(() => new KTOTrainer(small).huan_luyen(model, null, data), {
    type: TrainingDataError,
    code: 'TRAINING_DATA_INVALID',
    mentions,
  })) as KtoDataError;
  expect(KtoDataError.isInstance(error)).toBe(true);
  expect(error.kind).toBe(kind);
  model.dispose();
}

describe('bad input: KTO data', () => {
  it('a missing label names the record and the key', async () => {
    await rejects([good, { prompt: 'Sue ran.', completion: ' Fast.' }], 'KTO_LABEL_INVALID', [
      'kto_data[1].label is missing',
      'true = desirable',
    ]);
  });

  it('a non-boolean label (the string "true", 1, null) names the record, the key and the value', async () => {
    await rejects([good, { ...good, label: 'true' }], 'KTO_LABEL_INVALID', [
      'kto_data[1].label must be a boolean',
      'the string "true"',
    ]);
    await rejects([{ ...good, label: 1 }], 'KTO_LABEL_INVALID', ['kto_data[0].label', 'number 1']);
    await rejects([good, good, { ...good, label: null }], 'KTO_LABEL_INVALID', ['kto_data[2].label', 'null']);
  });

  it('an empty or blank completion, and one with no tokens (pre-tokenised)', async () => {
    await rejects([good, { ...good, completion: '' }], 'KTO_EMPTY_COMPLETION', ['kto_data[1].completion is empty']);
    await rejects([{ ...good, completion: '   ' }], 'KTO_EMPTY_COMPLETION', ['kto_data[0].completion is empty']);
    await rejects([{ prompt_input_ids: [1, 5], completion_input_ids: [], label: true }], 'KTO_EMPTY_COMPLETION', [
      'kto_data[0].completion_input_ids is empty',
    ]);
  });

  it('wrong shapes: not an object, a preference pair, missing keys, wrong field types, empty data', async () => {
    await rejects(['text'], 'KTO_RECORD_INVALID', ['kto_data[0] must be an object', 'the string "text"']);
    await rejects([{ prompt: 'p', chosen: 'a', rejected: 'b' }], 'KTO_RECORD_INVALID', [
      'kto_data[0] is a preference pair',
      'unpairPreferenceData',
    ]);
    await rejects([{ prompt: 'p', label: true }], 'KTO_RECORD_INVALID', ["kto_data[0] is missing 'completion'"]);
    await rejects([{ ...good, completion: 42 }], 'KTO_RECORD_INVALID', [
      'kto_data[0].completion must be a string or a list of { role, content } messages',
    ]);
    await rejects([{ ...good, completion: [{ role: 'assistant' }] }], 'KTO_RECORD_INVALID', [
      'kto_data[0].completion[0] must be a { role, content } message',
    ]);
    await rejects([], 'KTO_DATA_EMPTY', ['kto_data is empty']);
    await rejects([{ prompt_input_ids: [1, 600], completion_input_ids: [7], label: true }], 'KTO_TOKENIZER_MISMATCH', [
      'kto_data[0]',
      'token id 600',
      'vocabulary (size 512)',
    ]);
  });

  it('text records without any tokenizer, conversational ones without a chat template', async () => {
    const model = loadStories260K(backend);
    model.tokenizer = null;
    const error = (await expectTypedError(() => new KTOTrainer(small).huan_luyen(model, null, [good]), {
      type: TrainingDataError,
      mentions: ['kto_data[0] is text, but no tokenizer was given', 'completion_input_ids'],
    })) as KtoDataError;
    expect(error.kind).toBe('KTO_NO_TOKENIZER');
    await rejects(
      [{ prompt: [{ role: 'user', content: 'Hi' }], completion: 'Yes', label: true }],
      'KTO_NO_CHAT_TEMPLATE',
      ['kto_data[0] is conversational', 'chat_template'],
    );
  });

  it('a ref_model that is the policy itself', async () => {
    const model = loadStories260K(backend);
    await expectTypedError(() => new KTOTrainer(small).huan_luyen(model, model, EXAMPLES), {
      type: InvalidArgumentError,
      mentions: ['KTOTrainer.huan_luyen', 'ref_model', 'separate model'],
    });
  });
});

describe('one class only, unbalanced classes: trains, with the warning TRL gives', () => {
  it('all-desirable data trains (as in TRL) and thong_ke().warnings says only one side is learnt', async () => {
    const model = loadStories260K(backend);
    const allGood = EXAMPLES.filter((e) => e.label);
    const trainer = new KTOTrainer({ ...small, toc_do_hoc: 1e-3 });
    const result = await trainer.huan_luyen(model, null, allGood);
    expect(result.global_step).toBe(2);
    expect(Number.isNaN(result.history.rejected_rewards[0])).toBe(true); // no undesirable example to average
    expect(trainer.thong_ke().warnings).toEqual([
      "kto_data has only desirable examples (4), no undesirable one: KTO trains, but only pushes desirable completions' rewards above the reference point",
    ]);
    model.dispose();
  });

  it("weights outside the paper's range (eq. 8) for unbalanced data give TRL's recommendation; inside it, none", () => {
    // 30 desirable, 10 undesirable: desirable_weight in [10/30, 1.33·10/30] = [0.33, 0.44] or undesirable_weight in
    // [30/(1.33·10), 30/10] = [2.26, 3]
    expect(weightWarning(30, 10, 1, 1)).toBe(
      'kto_data has 30 desirable and 10 undesirable examples, and the weights are outside the range the KTO paper recommends (eq. 8): set EITHER desirable_weight in [0.33, 0.44] OR undesirable_weight in [2.26, 3] (not both)',
    );
    expect(weightWarning(30, 10, 0.4, 1)).toBeNull();
    expect(weightWarning(30, 10, 1, 2.5)).toBeNull();
    expect(weightWarning(14, 36, 3, 1)).toBeNull(); // the learnable-property test's data and weights
    expect(weightWarning(10, 10, 1, 1)).toBeNull();
    expect(weightWarning(0, 5, 1, 1)).toMatch(/^kto_data has only undesirable examples \(5\)/);
  });
});
