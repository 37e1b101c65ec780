import { createJsBackend } from '@rlhf/backend-js';
import { MemoryCheckpointStorage, mean, noGrad, sub, tidy } from '@rlhf/core';
import { withoutWallClock } from '@rlhf/core/testing';
import type { CausalLM, LlamaForCausalLM } from '@rlhf/models';
import { collatePairs, preparePreferenceData } from '@rlhf/preference-data';
import { describe, expect, it } from 'vitest';
import { loadStories260K } from './__fixtures__/data.js';
import type { DPOConfig } from './dpo-config.js';
import { DPOTrainer } from './dpo-trainer.js';
import { DPO_LOSS_TYPES, DPO_LOSSES } from './losses/registry.js';
import { concatenatedLogProbs } from './sequence-log-probs.js';

const backend = createJsBackend();

/** The demo's preference: a happy ending over a sad one. */
const pair = (prompt: string) => ({ prompt, chosen: ' She was very happy.', rejected: ' She was very sad.' });
const TRAIN = [
  pair('Once upon a time, there was a little girl named Lily.'),
  pair('Mia found a red ball in the park.'),
  pair('The sun was shining and the birds sang.'),
  pair('Lucy had a big dog named Max.'),
  pair('One day, Sue went to the store with her mom.'),
  pair('Anna saw a little cat under the tree.'),
];
const HELD_OUT = [
  pair('Once upon a time, there was a girl named Sara.'),
  pair('Amy and her friend played in the garden.'),
  pair('It was a cold day and the snow fell.'),
];

/** `log π(y_c)`, `log π(y_r)` of each pair under `model`, and the chosen responses' token counts. */
async function score(model: CausalLM, pairs: typeof TRAIN) {
  const prepared = await preparePreferenceData(pairs, model.tokenizer ?? null, {
    maxSeqLength: 64,
    vocabSize: model.config.vocab_size,
  });
  const out = tidy(() =>
    noGrad(() => {
      const lp = concatenatedLogProbs(model, collatePairs(backend, prepared.pairs, 0));
      return [lp.chosen, lp.rejected, mean(sub(lp.chosen, lp.rejected))] as const;
    }),
  );
  const [chosen, rejected, margin] = await Promise.all(out.map(async (t) => Array.from(await t.data())));
  for (const t of out) t.dispose();
  const chosenTokens = prepared.pairs.reduce((a, p) => a + p.chosen.length, 0);
  return { chosen: chosen as number[], rejected: rejected as number[], margin: margin?.[0] as number, chosenTokens };
}

/** Mean `log π(chosen) − log π(rejected)` of the held-out pairs under `model` (the happy-over-sad preference). */
async function heldOutMargin(model: CausalLM): Promise<number> {
  return (await score(model, HELD_OUT)).margin;
}

describe('DPOTrainer: every loss_type at step 0 with policy = reference (stories260K)', () => {
  for (const type of DPO_LOSS_TYPES) {
    const zero = DPO_LOSSES[type].stepZero;
    it(`${type}: the first logged loss is ${zero === null ? "the model's NLL per chosen token (not a constant)" : 'its constant'}`, async () => {
      const model = loadStories260K(backend);
      const initial = await score(model, TRAIN.slice(0, 2));
      const options: DPOConfig = {
        loss_type: type,
        label_smoothing: type === 'exo_pair' ? 1e-3 : 0,
        max_steps: 1,
        kich_thuoc_batch: 2,
        gradient_accumulation: 1,
        logging_steps: 1,
        toc_do_hoc: 1e-3,
      };
      const result = await new DPOTrainer(options).huan_luyen(model, null, TRAIN.slice(0, 2));
      const loss = result.history.train_loss[0] as number;
      if (zero === null) {
        // sft: the initial model's NLL per chosen token, −Σ log π(y_c) / Σ |y_c|, scored independently
        const nll = -initial.chosen.reduce((a, b) => a + b, 0) / initial.chosenTokens;
        expect(loss).toBeCloseTo(nll, 4);
        expect(loss).toBeGreaterThan(0.1);
      } else {
        expect(Math.abs(loss - zero({ beta: 0.1, label_smoothing: options.label_smoothing as number }))).toBeLessThan(
          1e-5,
        );
      }
      expect(result.history.reward_margin[0]).toBe(0);
      model.dispose();
    });
  }
});

describe('DPOTrainer: new losses really shift preferences (stories260K, held-out prompts)', () => {
  const runs: [string, DPOConfig][] = [
    ['apo_zero', { loss_type: 'apo_zero' }],
    ['nca_pair', { loss_type: 'nca_pair' }],
    ['MPO = sigmoid + bco_pair + sft', { loss_type: ['sigmoid', 'bco_pair', 'sft'], loss_weights: [0.8, 0.2, 1] }],
  ];
  for (const [name, config] of runs) {
    it(`${name}: loss finite; chosen − rejected margin rises on the training pairs and on held-out prompts`, async () => {
      const model = loadStories260K(backend);
      const before = await heldOutMargin(model);
      const trainer = new DPOTrainer({
        ...config,
        beta: 0.1,
        toc_do_hoc: 2e-3,
        kich_thuoc_batch: 3,
        gradient_accumulation: 1,
        so_vong: 3,
        logging_steps: 2,
      });
      const result = await trainer.huan_luyen(model, null, TRAIN);
      const after = await heldOutMargin(model);
      const h = result.history;
      console.log(
        JSON.stringify({ name, heldOutMargin: [before, after], reward_margin: h.reward_margin, loss: h.train_loss }),
      );
      expect(result.global_step).toBe(6);
      for (const l of h.train_loss) expect(Number.isFinite(l)).toBe(true);
      expect(h.reward_margin[0]).toBeGreaterThanOrEqual(0);
      expect(result.final_reward_margin).toBeGreaterThan((h.reward_margin[0] as number) + 0.1);
      expect(h.reward_accuracy[h.reward_accuracy.length - 1]).toBe(1);
      expect(after).toBeGreaterThan(before + 1); // log-prob units: happy gains > 1 nat over sad on unseen prompts
      model.dispose();
    }, 60_000);
  }
});

describe("DPOTrainer: bco_pair's running mean is checkpointed", () => {
  it('MPO resumed at step 3 of 6 (mid logging window) is bit-identical to the unbroken run; without the saved δ it is not', async () => {
    const storage = new MemoryCheckpointStorage();
    const options: DPOConfig = {
      loss_type: ['sigmoid', 'bco_pair', 'sft'],
      loss_weights: [0.8, 0.2, 1],
      kich_thuoc_batch: 1,
      gradient_accumulation: 1,
      toc_do_hoc: 2e-3,
      logging_steps: 2,
      checkpoint_storage: storage,
    };
    const unbrokenModel = loadStories260K(backend);
    const unbroken = await new DPOTrainer({ ...options, save_steps: 3 }).huan_luyen(unbrokenModel, null, TRAIN);
    const state = JSON.parse(
      new TextDecoder().decode((await storage.read('checkpoint-3')).get('trainer_state.json')),
    ) as { task_state: Record<string, { mean: number; count: number }> };
    expect(state.task_state['1:bco_pair']?.count).toBe(3); // one update per micro-batch
    expect(Math.abs(state.task_state['1:bco_pair']?.mean as number)).toBeGreaterThan(1e-4);

    const resumedModel = loadStories260K(backend);
    const trainer = new DPOTrainer({ ...options, resume_from_checkpoint: 'checkpoint-3' });
    const resumed = await trainer.huan_luyen(resumedModel, null, TRAIN);
    expect(withoutWallClock(resumed.history)).toEqual(withoutWallClock(unbroken.history));
    expect(Array.from(await (resumedModel as LlamaForCausalLM).model.norm.weight.data())).toEqual(
      Array.from(await (unbrokenModel as LlamaForCausalLM).model.norm.weight.data()),
    );

    // The same checkpoint with δ reset to 0: the losses after the resume differ (the test can fail).
    const files = await storage.read('checkpoint-3');
    const edited = { ...state, task_state: { '1:bco_pair': { mean: 0, count: 3 } } };
    files.set('trainer_state.json', new TextEncoder().encode(JSON.stringify(edited)));
    await storage.write('checkpoint-3-reset', files);
    const reset = await new DPOTrainer({ ...options, resume_from_checkpoint: 'checkpoint-3-reset' }).huan_luyen(
      loadStories260K(backend),
      null,
      TRAIN,
    );
    expect(reset.history.train_loss.at(-1)).not.toBe(unbroken.history.train_loss.at(-1));
    for (const m of [unbrokenModel, resumedModel]) m.dispose();
  }, 60_000);
});
