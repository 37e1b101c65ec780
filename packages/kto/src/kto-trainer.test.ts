import { createJsBackend } from '@rlhf/backend-js';
import { ConfigError, type LogRecord, MemoryCheckpointStorage, tidy } from '@rlhf/core';
import { expectTypedError, withoutWallClock } from '@rlhf/core/testing';
import { sequenceLogProbs } from '@rlhf/dpo';
import type { LlamaForCausalLM } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, loadStories260K } from './__fixtures__/data.js';
import { collateSequences, klPairs } from './data/collate-sequences.js';
import { prepareKtoData } from './data/prepare-kto-data.js';
import { ktoReference } from './kto-reference.js';
import { ktoTask } from './kto-task.js';
import { KTOTrainer } from './kto-trainer.js';

const backend = createJsBackend();
const FAST = { kich_thuoc_batch: 4, gradient_accumulation: 1, max_seq_length: 32 } as const;

describe('KTOTrainer: options', () => {
  it("TRL KTOConfig's defaults, the seed's names, TRL's aliases", () => {
    const o = new KTOTrainer().options;
    expect([o.beta, o.desirable_weight, o.undesirable_weight, o.loss_type, o.toc_do_hoc, o.max_seq_length]).toEqual([
      0.1,
      1,
      1,
      'kto',
      1e-6,
      1024,
    ]);
    expect([o.so_vong, o.kich_thuoc_batch, o.gradient_accumulation, o.logging_steps, o.seed]).toEqual([
      1, 8, 4, 10, 42,
    ]);
    const aliased = new KTOTrainer({ learning_rate: 3e-4, max_length: 64, per_device_train_batch_size: 2 }).options;
    expect([aliased.toc_do_hoc, aliased.max_seq_length, aliased.kich_thuoc_batch]).toEqual([3e-4, 64, 2]);
  });

  it('bad options are ConfigErrors naming the key', async () => {
    await expectTypedError(() => new KTOTrainer({ loss_type: 'sigmoid' as never }), {
      type: ConfigError,
      mentions: ['KTOTrainer', 'loss_type', "'kto', 'apo_zero_unpaired'"],
    });
    await expectTypedError(() => new KTOTrainer({ desirable_weight: -1 }), {
      type: ConfigError,
      mentions: ['desirable_weight', '-1'],
    });
    await expectTypedError(() => new KTOTrainer({ beta: 0 }), { type: ConfigError, mentions: ['beta'] });
    // The KL reference point needs another example in the micro-batch (TRL refuses a batch size of 1 too).
    await expectTypedError(() => new KTOTrainer({ kich_thuoc_batch: 1 }), {
      type: ConfigError,
      mentions: ['kich_thuoc_batch', '≥ 2', "loss_type 'kto'"],
    });
    expect(new KTOTrainer({ kich_thuoc_batch: 1, loss_type: 'apo_zero_unpaired' }).options.kich_thuoc_batch).toBe(1);
    await expectTypedError(() => new KTOTrainer({ max_seq_length: 16, max_prompt_length: 16 }), {
      type: ConfigError,
      mentions: ['max_prompt_length', '< max_seq_length (16)'],
    });
  });
});

describe('KTOTrainer: step 0 with policy = reference', () => {
  it('loss 0.5 per example (·λ), rewards 0, KL 0; records carry TRL’s names; the seed’s columns come first', async () => {
    const model = loadStories260K(backend);
    const seen: LogRecord[] = [];
    const trainer = new KTOTrainer({ ...FAST, logging_steps: 1, toc_do_hoc: 1e-3, desirable_weight: 2 });
    const result = await trainer.huan_luyen(model, null, EXAMPLES, null, (r) => {
      seen.push(r);
    });
    // Step 1 is scored before any update: each of its 4 examples costs 0.5·λ (λ_D = 2, λ_U = 1).
    const first = seen[0] as LogRecord;
    const [nD, nU] = [first.metrics['count/chosen'] as number, first.metrics['count/rejected'] as number];
    expect(nD + nU).toBe(4);
    expect(result.history.train_loss[0]).toBeCloseTo((nD * 2 * 0.5 + nU * 1 * 0.5) / 4, 6);
    expect(Object.keys(first.metrics).sort()).toEqual(
      [
        'count/chosen',
        'count/rejected',
        'kl',
        'logps/chosen',
        'logps/rejected',
        'rewards/chosen',
        'rewards/margins',
        'rewards/rejected',
      ].sort(),
    );
    expect(first.metrics['rewards/chosen']).toBe(0);
    expect(first.metrics['rewards/rejected']).toBe(0);
    expect(first.metrics.kl).toBe(0);
    expect(first.metrics['logps/chosen']).toBeLessThan(0);
    expect(result.global_step).toBe(2);
    expect(Object.keys(result.history).slice(0, 4)).toEqual([
      'train_loss',
      'chosen_rewards',
      'rejected_rewards',
      'reward_margin',
    ]);
    expect(result.history.records).toEqual(seen);
    expect(trainer.lay_lich_su()).toEqual(result.history);
    // After one update the rewards move apart and the margin is the difference of the class means.
    expect(result.history.reward_margin[1]).toBeCloseTo(
      (result.history.chosen_rewards[1] as number) - (result.history.rejected_rewards[1] as number),
      10,
    );
    expect(Number.isFinite(result.final_reward_margin)).toBe(true);
    const stats = trainer.thong_ke();
    expect([stats.desirable, stats.undesirable, stats.reference, stats.loss_type, stats.warnings]).toEqual([
      4,
      4,
      'frozen_copy',
      'kto',
      [],
    ]);
    model.dispose();
  });
});

describe('KTO task: one micro-batch against the sum written out', () => {
  it('loss, z₀ and metrics equal those built from the policy and reference log-probs of matched and mismatched pairs', async () => {
    const original = loadStories260K(backend); // the reference here
    const policy = loadStories260K(backend);
    // Move the reference away from the policy so that r ≠ 0 and z₀ > 0: lower every completion's likelihood under it.
    const allBad = EXAMPLES.map((e) => ({ ...e, label: false }));
    await new KTOTrainer({ ...FAST, toc_do_hoc: 2e-2, so_vong: 2 }).huan_luyen(original, null, allBad);
    const items = (
      await prepareKtoData(EXAMPLES.slice(0, 4), policy.tokenizer ?? null, { maxSeqLength: 32, vocabSize: 512 })
    ).examples;
    const reference = ktoReference(policy, original, null);
    const params = { loss_type: 'kto', beta: 0.5, desirable_weight: 1.5, undesirable_weight: 0.5 } as const;
    const out = tidy(() => {
      const r = ktoTask(policy, reference, params, 0, 32).loss(items);
      return { loss: r.loss, metrics: r.metrics };
    });
    const loss = await out.loss.item();
    const metric = async (name: string) => {
      const m = out.metrics?.[name] as { value: { item(): Promise<number> } };
      return m.value.item();
    };
    // By hand: log-probs row by row (each a batch of one), then the formulas.
    const logp = async (model: typeof policy, prompt: number[], completion: number[]) => {
      const t = tidy(() => {
        const b = collateSequences(backend, [{ prompt, completion }], 0);
        return sequenceLogProbs(model.forward(b.inputIds).logits, b.labels);
      });
      const v = await t.item();
      t.dispose();
      return v;
    };
    const kl = klPairs(items, 32);
    const r: number[] = [];
    const klDiff: number[] = [];
    for (const [i, item] of items.entries()) {
      r.push((await logp(policy, item.prompt, item.completion)) - (await logp(original, item.prompt, item.completion)));
      const k = kl[i] as { prompt: number[]; completion: number[] };
      klDiff.push((await logp(policy, k.prompt, k.completion)) - (await logp(original, k.prompt, k.completion)));
    }
    expect(kl[1]?.completion).toEqual(items[0]?.completion); // prompt i with completion i − 1
    expect(kl[0]?.completion).toEqual(items[3]?.completion);
    const z0 = Math.max(0, klDiff.reduce((a, b) => a + b, 0) / 4);
    expect(z0).toBeGreaterThan(0);
    const sig = (z: number) => 1 / (1 + Math.exp(-z));
    const expected = items.reduce(
      (a, item, i) =>
        a +
        (item.label ? 1.5 * (1 - sig(0.5 * ((r[i] as number) - z0))) : 0.5 * (1 - sig(0.5 * (z0 - (r[i] as number))))),
      0,
    );
    expect(loss).toBeCloseTo(expected, 4);
    expect(await metric('kl')).toBeCloseTo(4 * z0, 4);
    const chosen = items.map((it, i) => (it.label ? 0.5 * (r[i] as number) : 0)).reduce((a, b) => a + b, 0);
    expect(await metric('rewards/chosen_sum')).toBeCloseTo(chosen, 4);
    expect(await metric('count/chosen')).toBe(items.filter((i) => i.label).length);
    reference.dispose();
    original.dispose();
    policy.dispose();
  });
});

describe('KTOTrainer: checkpoints and resume', () => {
  it('resumed at step 3 of 6 (mid logging window of 4) logs exactly what the unbroken run logs', async () => {
    const data = [...EXAMPLES, ...EXAMPLES, ...EXAMPLES.slice(0, 4)]; // 20 examples, batches of 4 → 5 steps an epoch
    const storage = new MemoryCheckpointStorage();
    const opts = { ...FAST, logging_steps: 4, toc_do_hoc: 1e-3, max_steps: 6, checkpoint_storage: storage };
    const unbroken = await new KTOTrainer({ ...opts, save_steps: 3 }).huan_luyen(loadStories260K(backend), null, data);
    expect(unbroken.history.step).toEqual([4, 6]);
    const trainer = new KTOTrainer({ ...opts, resume_from_checkpoint: 'checkpoint-3' });
    const model = loadStories260K(backend);
    const resumed = await trainer.huan_luyen(model, null, data);
    expect(trainer.thong_ke().resumed_from).toBe('checkpoint-3');
    expect(withoutWallClock(resumed.history)).toEqual(withoutWallClock(unbroken.history));
    expect(resumed.final_reward_margin).toBe(unbroken.final_reward_margin);
    expect(resumed.final_kl).toBe(unbroken.final_kl);
    expect(trainer.lay_lich_su()).toEqual(resumed.history);
    expect((model as LlamaForCausalLM).model.norm.weight).toBeDefined();
    model.dispose();
  });
});

describe('KTOTrainer: LoRA', () => {
  it('with ref_model null the reference is the model with adapters disabled: step 0 costs 0.5, only adapters change', async () => {
    const model = loadStories260K(backend);
    const before = new Map<string, number[]>();
    for (const [name, p] of model.namedParameters()) before.set(name, Array.from(await p.data()));
    const trainer = new KTOTrainer({ ...FAST, logging_steps: 1, toc_do_hoc: 1e-2, lora: { r: 4, lora_alpha: 8 } });
    const result = await trainer.huan_luyen(model, null, EXAMPLES);
    expect(result.history.train_loss[0]).toBeCloseTo(0.5, 6);
    expect(result.history.kl[0]).toBe(0);
    expect(result.history.reward_margin[1]).not.toBe(0); // the adapters moved the policy
    for (const [name, p] of model.namedParameters()) {
      if (name.includes('lora_')) continue;
      expect(Array.from(await p.data()), name).toEqual(before.get(name));
    }
    const stats = trainer.thong_ke();
    expect(stats.reference).toBe('adapters_disabled');
    expect(stats.trainable_parameters).toBeLessThan(stats.total_parameters / 10);
    expect(trainer.lora).not.toBeNull();
    model.dispose();
  });
});
