import { createJsBackend } from '@rlhf/backend-js';
import { ConfigError, type LogRecord, MemoryCheckpointStorage, TrainingDataError } from '@rlhf/core';
import { withoutWallClock } from '@rlhf/core/testing';
import type { LlamaForCausalLM } from '@rlhf/models';
import type { PreferenceDataError } from '@rlhf/preference-data';
import { describe, expect, it } from 'vitest';
import { loadStories260K, phi3Tokenizer } from './__fixtures__/data.js';
import { DPOTrainer } from './dpo-trainer.js';

const backend = createJsBackend();

const PAIRS = [
  {
    prompt: 'Once upon a time, there was a little girl named Lily.',
    chosen: ' She was very happy.',
    rejected: ' She was very sad.',
  },
  {
    prompt: 'Tom had a red ball.',
    chosen: ' He played with it all day and smiled.',
    rejected: ' He lost it and cried.',
  },
  { prompt: 'The sun was shining.', chosen: ' The birds sang a happy song.', rejected: ' The dog barked at the cat.' },
  { prompt: 'Lily saw a big tree.', chosen: ' She climbed it with her friend.', rejected: ' It fell down.' },
];

/** A snapshot of every parameter's values. */
async function weights(model: ReturnType<typeof loadStories260K>): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const [name, p] of model.namedParameters()) out.set(name, Float32Array.from(await p.data()));
  return out;
}

describe('DPOTrainer: step 0 with policy = reference', () => {
  for (const setup of [
    'ref_model: null (frozen copy)',
    'an equal ref_model',
    'precompute_ref_log_probs',
    'LoRA, adapters disabled',
  ] as const) {
    it(`${setup}: loss is ln 2 (1e-6), rewards 0`, async () => {
      const model = loadStories260K(backend);
      const ref = setup === 'an equal ref_model' ? loadStories260K(backend) : null;
      const records: LogRecord[] = [];
      const trainer = new DPOTrainer({
        logging_steps: 1,
        gradient_accumulation: 1,
        toc_do_hoc: 1e-3,
        precompute_ref_log_probs: setup === 'precompute_ref_log_probs',
        lora:
          setup === 'LoRA, adapters disabled' ? { r: 4, lora_alpha: 8, target_modules: ['q_proj', 'v_proj'] } : null,
      });
      const result = await trainer.huan_luyen(model, ref, PAIRS, null, (r) => {
        records.push(r);
      });
      expect(result.global_step).toBe(2);
      expect(Math.abs((result.history.train_loss[0] as number) - Math.LN2)).toBeLessThan(1e-6);
      expect(result.history.chosen_rewards[0]).toBe(0);
      expect(result.history.rejected_rewards[0]).toBe(0);
      expect(result.history.reward_margin[0]).toBe(0);
      expect(result.history.reward_accuracy[0]).toBe(0);
      // the update moved the policy away from the reference: step 2 no longer sits at ln 2
      expect(Math.abs((result.history.train_loss[1] as number) - Math.LN2)).toBeGreaterThan(1e-4);
      expect(records).toHaveLength(2);
      expect(trainer.thong_ke().reference).toBe(
        {
          'ref_model: null (frozen copy)': 'frozen_copy',
          'an equal ref_model': 'ref_model',
          precompute_ref_log_probs: 'initial_policy',
          'LoRA, adapters disabled': 'adapters_disabled',
        }[setup],
      );
      model.dispose();
      ref?.dispose();
    });
  }
});

describe('DPOTrainer: the reference stays frozen', () => {
  it('an explicit ref_model: weights bit-for-bit unchanged, never a gradient; the policy does change', async () => {
    const model = loadStories260K(backend);
    const ref = loadStories260K(backend);
    const refBefore = await weights(ref);
    const policyBefore = await weights(model);
    await new DPOTrainer({ gradient_accumulation: 1, toc_do_hoc: 1e-3, logging_steps: 1 }).huan_luyen(
      model,
      ref,
      PAIRS,
    );
    for (const [name, p] of ref.namedParameters()) {
      expect(Array.from(await p.data()), name).toEqual(Array.from(refBefore.get(name) as Float32Array));
      expect(p.grad, name).toBeNull();
    }
    let changed = 0;
    for (const [name, p] of model.namedParameters()) {
      const before = policyBefore.get(name) as Float32Array;
      if ((await p.data()).some((v, i) => v !== before[i])) changed++;
    }
    expect(changed).toBe([...model.namedParameters()].length);
    model.dispose();
    ref.dispose();
  });

  it('LoRA with ref_model null: the base weights (the reference) are unchanged and hold no optimizer state', async () => {
    const model = loadStories260K(backend);
    const before = await weights(model);
    const storage = new MemoryCheckpointStorage();
    const trainer = new DPOTrainer({
      gradient_accumulation: 1,
      toc_do_hoc: 1e-2,
      logging_steps: 1,
      lora: { r: 4, lora_alpha: 8 },
      checkpoint_storage: storage,
    });
    const result = await trainer.huan_luyen(model, null, PAIRS);
    for (const [name, p] of model.namedParameters()) {
      if (name.includes('lora_')) continue;
      expect(Array.from(await p.data()), name).toEqual(Array.from(before.get(name) as Float32Array));
    }
    const files = await storage.read('checkpoint-2');
    const { parseSafetensors } = await import('@rlhf/models');
    const moments = [...parseSafetensors(files.get('optimizer.safetensors') as Uint8Array).tensors.keys()];
    expect(moments.length).toBeGreaterThan(0);
    expect(moments.every((n) => n.includes('lora_A') || n.includes('lora_B'))).toBe(true);
    // adapters did learn: a positive margin after a step at this learning rate
    expect(result.history.reward_margin[1]).not.toBe(0);
    expect(trainer.thong_ke().trainable_parameters).toBeLessThan(trainer.thong_ke().total_parameters / 10);
    model.dispose();
  });
});

describe('DPOTrainer: options', () => {
  it("defaults are exactly the seed's", () => {
    const o = new DPOTrainer().options;
    expect({
      so_vong: o.so_vong,
      kich_thuoc_batch: o.kich_thuoc_batch,
      toc_do_hoc: o.toc_do_hoc,
      beta: o.beta,
      label_smoothing: o.label_smoothing,
      gradient_accumulation: o.gradient_accumulation,
      gradient_clip: o.gradient_clip,
      max_seq_length: o.max_seq_length,
      logging_steps: o.logging_steps,
      seed: o.seed,
    }).toEqual({
      so_vong: 1,
      kich_thuoc_batch: 2,
      toc_do_hoc: 5e-7,
      beta: 0.1,
      label_smoothing: 0.0,
      gradient_accumulation: 4,
      gradient_clip: 1.0,
      max_seq_length: 512,
      logging_steps: 10,
      seed: 42,
    });
    expect(o.loss_type).toBe('sigmoid');
    expect(o.precompute_ref_log_probs).toBe(false);
    expect(o.lora).toBeNull();
  });

  it("takes every key of PEFT's LoraConfig that LoRA here reads, use_rslora included", () => {
    const lora = { r: 4, lora_alpha: 8, lora_dropout: 0.1, target_modules: ['q_proj'], use_rslora: true };
    expect(new DPOTrainer({ lora }).options.lora).toEqual(lora);
  });

  const bad: [Record<string, unknown>, string][] = [
    [
      { label_smoothing: 0.6 },
      "DPOTrainer: option 'label_smoothing' = 0.6 is not allowed; expected a number in [0, 0.5].",
    ],
    [
      { label_smoothing: -0.1 },
      "DPOTrainer: option 'label_smoothing' = -0.1 is not allowed; expected a number in [0, 0.5].",
    ],
    [
      { beta: 0 },
      "DPOTrainer: option 'beta' = 0 is not allowed; expected a number > 0 (a normal float32, in [1.1754944e-38, 3.4028235e+38]).",
    ],
    [
      { beta: -1 },
      "DPOTrainer: option 'beta' = -1 is not allowed; expected a number > 0 (a normal float32, in [1.1754944e-38, 3.4028235e+38]).",
    ],
    [
      { loss_type: 'robust', label_smoothing: 0.5 },
      "DPOTrainer: option 'label_smoothing' = 0.5 is not allowed; expected a number in [0, 0.5) for loss_type 'robust' (it divides by 1 − 2ε).",
    ],
    [
      { loss_type: 'kto' },
      "DPOTrainer: option 'loss_type' = \"kto\" is not allowed; expected one of 'sigmoid', 'ipo', 'hinge', 'robust', 'exo_pair', 'nca_pair', 'bco_pair', 'sppo_hard', 'aot', 'aot_unpaired', 'apo_zero', 'apo_down', 'discopop', 'sft', 'sigmoid_norm', or a non-empty list of them (added up, weighted by loss_weights).",
    ],
    [
      { max_prompt_length: 512 },
      "DPOTrainer: option 'max_prompt_length' = 512 is not allowed; expected an integer < max_seq_length (512), or null.",
    ],
    [{ toc_do_hoc: -1 }, "DPOTrainer: option 'toc_do_hoc' = -1 is not allowed; expected a number ≥ 0."],
    [{ lora: { rank: 4 } }, 'lora'],
    [{ betta: 0.1 }, "unknown option; did you mean 'beta'?"],
  ];
  for (const [options, message] of bad) {
    it(`rejects ${JSON.stringify(options)} naming the key`, () => {
      let error: unknown;
      try {
        new DPOTrainer(options as never);
      } catch (e) {
        error = e;
      }
      expect(ConfigError.isInstance(error)).toBe(true);
      expect((error as ConfigError).key).toBe(
        Object.keys(options).find((k) => k !== 'loss_type' || Object.keys(options).length === 1),
      );
      expect((error as Error).message).toContain(message);
    });
  }
  it('accepts the edges: label_smoothing 0 and 0.5 (sigmoid), tiny beta', () => {
    expect(new DPOTrainer({ label_smoothing: 0.5 }).options.label_smoothing).toBe(0.5);
    expect(new DPOTrainer({ label_smoothing: 0, beta: 1e-6 }).options.beta).toBe(1e-6);
  });
});

describe('DPOTrainer: bad data is rejected before anything trains', () => {
  async function rejects(data: unknown, tokenizer: ReturnType<typeof phi3Tokenizer> | null = null): Promise<Error> {
    const model = loadStories260K(backend);
    const before = await weights(model);
    const trainer = new DPOTrainer({ gradient_accumulation: 1, toc_do_hoc: 1e-2 });
    let error: unknown;
    try {
      await trainer.huan_luyen(model, null, data as never, tokenizer);
    } catch (e) {
      error = e;
    }
    for (const [name, p] of model.namedParameters())
      expect(Array.from(await p.data())).toEqual(Array.from(before.get(name) as Float32Array));
    expect(trainer.thong_ke().global_step).toBe(0);
    model.dispose();
    expect(TrainingDataError.isInstance(error) || ConfigError.isInstance(error)).toBe(true);
    return error as Error;
  }

  it('an empty dataset', async () => {
    expect((await rejects([])).message).toBe('preference_data is empty (no preference pairs).');
  });

  it('a tokenizer whose vocabulary does not fit the model (phi-3 on stories260K)', async () => {
    const e = await rejects(PAIRS, phi3Tokenizer());
    expect((e as PreferenceDataError).kind).toBe('PREFERENCE_TOKENIZER_MISMATCH');
    expect(e.message).toBe(
      "preference_data cannot be tokenised for this model: the tokenizer has 32011 tokens but the model's vocabulary has 512 (use the model's own tokenizer).",
    );
  });

  it('empty responses and bad records, by index', async () => {
    expect((await rejects([...PAIRS, { prompt: 'x', chosen: 'fine', rejected: '' }])).message).toBe(
      'preference_data[4].rejected is empty.',
    );
    expect((await rejects([PAIRS[0], { prompt: 'x', good: 'y' }])).message).toMatch(
      /^preference_data\[1\] is missing 'chosen', 'rejected'/,
    );
  });
});

describe('DPOTrainer: result, history, statistics, callback', () => {
  it("the result has exactly the seed's keys; history the seed's four and more; thong_ke counts", async () => {
    const trainer = new DPOTrainer({
      gradient_accumulation: 1,
      logging_steps: 1,
      toc_do_hoc: 1e-3,
      max_seq_length: 12,
    });
    expect(trainer.lay_lich_su().train_loss).toEqual([]);
    expect(trainer.thong_ke()).toMatchObject({ global_step: 0, pairs: 0, truncated_pairs: 0, reference: null });
    const model = loadStories260K(backend);
    async function* stream() {
      yield* PAIRS; // an async iterable works as well as an array
    }
    const result = await trainer.huan_luyen(model, null, stream());
    expect(Object.keys(result).sort()).toEqual([
      'final_reward_margin',
      'global_step',
      'history',
      'so_epoch',
      'tong_thoi_gian',
      'train_loss_min',
    ]);
    for (const key of ['train_loss', 'chosen_rewards', 'rejected_rewards', 'reward_margin']) {
      expect((result.history as unknown as Record<string, number[]>)[key]).toHaveLength(2);
    }
    expect(result.so_epoch).toBe(1);
    expect(result.global_step).toBe(2);
    expect(result.train_loss_min).toBe(Math.min(...result.history.train_loss));
    expect(result.final_reward_margin).toBe(result.history.reward_margin[1]);
    expect(result.history.reward_margin[1]).toBeCloseTo(
      (result.history.chosen_rewards[1] as number) - (result.history.rejected_rewards[1] as number),
      5,
    );
    expect(result.tong_thoi_gian).toBeGreaterThan(0);
    const stats = trainer.thong_ke();
    expect(stats).toMatchObject({
      pairs: 4,
      global_step: 2,
      so_epoch: 1,
      loss_type: 'sigmoid',
      beta: 0.1,
      reference: 'frozen_copy',
    });
    // every prompt + longer response is over 12 tokens here: all four pairs truncated, counted
    expect(stats.truncated_pairs).toBe(4);
    expect(trainer.lay_lich_su().reward_accuracy).toHaveLength(2);
    expect(trainer.lay_lich_su()).toEqual(result.history);
    model.dispose();
  });

  it('a callback returning false stops after that step', async () => {
    const model = loadStories260K(backend);
    const trainer = new DPOTrainer({ kich_thuoc_batch: 1, gradient_accumulation: 1, logging_steps: 1 });
    const result = await trainer.huan_luyen(model, null, PAIRS, null, (r) => r.step < 2);
    expect(result.global_step).toBe(2);
    expect(trainer.thong_ke().stopped_early).toBe(true);
    model.dispose();
  });
});

describe('DPOTrainer: accumulation and resume', () => {
  it('kich_thuoc_batch 4 × accumulation 1 equals 2 × 2 equals 1 × 4 (loss and weights)', async () => {
    const runs: { loss: number[]; w: Float32Array }[] = [];
    for (const [batch, accumulation] of [
      [4, 1],
      [2, 2],
      [1, 4],
    ] as const) {
      const model = loadStories260K(backend);
      const r = await new DPOTrainer({
        kich_thuoc_batch: batch,
        gradient_accumulation: accumulation,
        toc_do_hoc: 1e-3,
        so_vong: 2,
        logging_steps: 1,
      }).huan_luyen(model, null, PAIRS);
      runs.push({
        loss: r.history.train_loss,
        w: Float32Array.from(await (model as LlamaForCausalLM).model.norm.weight.data()),
      });
      model.dispose();
    }
    for (const run of runs.slice(1)) {
      for (const [i, l] of run.loss.entries()) expect(l).toBeCloseTo(runs[0]?.loss[i] as number, 5);
      for (const [i, v] of run.w.entries()) expect(v).toBeCloseTo(runs[0]?.w[i] as number, 5);
    }
    expect(runs[0]?.loss[1]).not.toBeCloseTo(runs[0]?.loss[0] as number, 4);
  });

  it('stopping at step 2 and resuming (ref_model null: the copy is of the model passed in) matches an unbroken run', async () => {
    const options = {
      kich_thuoc_batch: 1,
      gradient_accumulation: 1,
      toc_do_hoc: 1e-3,
      logging_steps: 1,
      save_steps: 1,
    } as const;
    const unbroken = loadStories260K(backend);
    const full = await new DPOTrainer(options).huan_luyen(unbroken, null, PAIRS);
    const storage = new MemoryCheckpointStorage();
    const first = loadStories260K(backend);
    await new DPOTrainer({ ...options, checkpoint_storage: storage }).huan_luyen(
      first,
      null,
      PAIRS,
      null,
      (r) => r.step < 2,
    );
    const resumed = loadStories260K(backend); // the initial model again, as for SFT
    const rest = await new DPOTrainer({
      ...options,
      checkpoint_storage: storage,
      resume_from_checkpoint: 'checkpoint-2',
    }).huan_luyen(resumed, null, PAIRS);
    expect(rest.history.train_loss).toEqual(full.history.train_loss);
    expect(rest.history.reward_margin).toEqual(full.history.reward_margin);
    expect(Array.from(await (resumed as LlamaForCausalLM).model.norm.weight.data())).toEqual(
      Array.from(await (unbroken as LlamaForCausalLM).model.norm.weight.data()),
    );
    for (const m of [unbroken, first, resumed]) m.dispose();
  });
});

describe('DPOTrainer: whole-window checkpoints and one history builder', () => {
  it('resumed at step 6 of 10 (mid logging window of 4) logs exactly what the unbroken run logs; lay_lich_su() = result.history', async () => {
    const pairs = [...PAIRS, ...PAIRS, PAIRS[0], PAIRS[1]] as typeof PAIRS; // 10 pairs, 1 per step
    const storage = new MemoryCheckpointStorage();
    const opts = {
      logging_steps: 4,
      kich_thuoc_batch: 1,
      gradient_accumulation: 1,
      toc_do_hoc: 1e-3,
      max_seq_length: 24,
      checkpoint_storage: storage,
    };
    const unbrokenTrainer = new DPOTrainer({ ...opts, save_steps: 3 });
    const unbroken = await unbrokenTrainer.huan_luyen(loadStories260K(backend), null, pairs);
    expect(unbroken.history.step).toEqual([4, 8, 10]);
    expect(unbrokenTrainer.lay_lich_su()).toEqual(unbroken.history);
    expect(Object.keys(unbroken.history).slice(0, 4)).toEqual([
      'train_loss',
      'chosen_rewards',
      'rejected_rewards',
      'reward_margin',
    ]);

    const trainer = new DPOTrainer({ ...opts, resume_from_checkpoint: 'checkpoint-6' });
    const resumed = await trainer.huan_luyen(loadStories260K(backend), null, pairs);
    expect(trainer.thong_ke().resumed_from).toBe('checkpoint-6');
    expect(withoutWallClock(resumed.history)).toEqual(withoutWallClock(unbroken.history));
    expect(resumed.final_reward_margin).toBe(unbroken.final_reward_margin);
    expect(trainer.lay_lich_su()).toEqual(resumed.history);
  });
});

describe('DPOTrainer: validation pairs (du_lieu_val)', () => {
  for (const precompute of [false, true]) {
    it(`evaluates held-out pairs before the first and after the last step${precompute ? ' (reference precomputed)' : ''}`, async () => {
      const records: LogRecord[] = [];
      const trainer = new DPOTrainer({
        kich_thuoc_batch: 2,
        gradient_accumulation: 1,
        logging_steps: 1,
        max_seq_length: 48,
        toc_do_hoc: 1e-2,
        eval_on_start: true,
        precompute_ref_log_probs: precompute,
      });
      await trainer.huan_luyen(loadStories260K(backend), null, PAIRS, null, (r) => void records.push(r), PAIRS);
      const evals = records.filter((r) => r.kind === 'eval');
      expect(evals.map((r) => r.step)).toEqual([0, 2]);
      // Policy = reference before the first step: Δ = 0, so the loss is log 2 and no pair is won yet.
      expect(evals[0]?.val_loss).toBeCloseTo(Math.LN2, 4);
      expect(evals[0]?.metrics.val_reward_accuracy).toBe(0);
      // After training on the same pairs, the held-out copy of them is fitted better.
      expect(evals[1]?.val_loss).toBeLessThan(Math.LN2 - 0.01);
      expect(evals[1]?.metrics.val_reward_accuracy).toBeGreaterThan(0.5);
    });
  }
});
