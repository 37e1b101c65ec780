import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, type LogRecord, MemoryCheckpointStorage, Random, TrainingDataError } from '@rlhf/core';
import { withoutWallClock } from '@rlhf/core/testing';
import { type LoraAdapter, parseSafetensors } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { flatWeights, phi3Tokenizer, tinyLlama } from './__fixtures__/models.js';
import { SFT_DEFAULTS } from './sft-config.js';
import { SFTTrainer } from './sft-trainer.js';

/** Pre-tokenised records of lengths 4..19 over a 64-token vocabulary, labels on the second half. */
function records(count: number, seed = 1): { input_ids: number[]; labels: number[] }[] {
  const rng = new Random(seed);
  return Array.from({ length: count }, () => {
    const n = 4 + rng.int(16);
    const ids = Array.from({ length: n }, () => 1 + rng.int(63));
    return { input_ids: ids, labels: ids.map((id, i) => (i < n / 2 ? -100 : id)) };
  });
}

const fast = { toc_do_hoc: 1e-2, warmup_ratio: 0, logging_steps: 1 };
const tmp = () => mkdtempSync(join(tmpdir(), 'rlhf-sft-'));
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

describe('SFTTrainer', () => {
  it('has exactly the seed defaults', () => {
    const o = new SFTTrainer().options;
    expect(SFT_DEFAULTS).toEqual({
      so_vong: 3,
      kich_thuoc_batch: 4,
      toc_do_hoc: 2e-5,
      gradient_accumulation: 4,
      gradient_clip: 1.0,
      warmup_ratio: 0.1,
      weight_decay: 0.01,
      max_seq_length: 512,
      logging_steps: 10,
      seed: 42,
    });
    for (const [k, v] of Object.entries(SFT_DEFAULTS)) expect(o[k as keyof typeof o]).toBe(v);
    expect(o).toMatchObject({
      packing: false,
      lora: null,
      lr_scheduler_type: 'linear',
      output_dir: null,
      save_steps: 500,
    });
  });

  it('accumulation: kich_thuoc_batch 8 × 1 and 2 × 4 give the same history and weights after 3 steps (1e-5)', async () => {
    const data = records(24);
    const runs = [];
    for (const [kich_thuoc_batch, gradient_accumulation] of [
      [8, 1],
      [2, 4],
    ] as const) {
      const model = tinyLlama(5);
      const result = await new SFTTrainer({ ...fast, so_vong: 1, kich_thuoc_batch, gradient_accumulation }).huan_luyen(
        model,
        data,
      );
      expect(result.global_step).toBe(3);
      runs.push({ result, w: await flatWeights(model) });
    }
    const [a, b] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(a.result.history.train_loss).toHaveLength(3);
    for (const key of ['train_loss', 'learning_rate', 'grad_norm'] as const) {
      expect(maxDiff(a.result.history[key], b.result.history[key])).toBeLessThan(1e-5);
    }
    expect(maxDiff(a.w, b.w)).toBeLessThan(1e-5);
    expect(maxDiff(a.w, await flatWeights(tinyLlama(5)))).toBeGreaterThan(1e-3); // it did train
  });

  it('resume: 10 steps stopped at step 5 and resumed from the checkpoint equal the unbroken run, bit for bit', async () => {
    const data = records(20, 2); // batch 2 × accumulation 2 → 5 steps per epoch, 2 epochs
    const val = records(4, 3);
    const opts = {
      ...fast,
      so_vong: 2,
      kich_thuoc_batch: 2,
      gradient_accumulation: 2,
      warmup_ratio: 0.2,
      logging_steps: 2,
    };
    const full = tinyLlama(7);
    const unbrokenTrainer = new SFTTrainer(opts);
    const unbroken = await unbrokenTrainer.huan_luyen(full, data, val);
    expect(unbroken.global_step).toBe(10);
    const fullWeights = await flatWeights(full);
    const strip = (rs: LogRecord[]) => rs.map((r) => (r.kind === 'train' ? { ...r, tokens_per_second: 0 } : r));

    const dir = tmp();
    const stopAt5 = (r: LogRecord) => !(r.kind === 'eval' && r.step === 5);
    const part = await new SFTTrainer({ ...opts, output_dir: dir, save_steps: 3 }).huan_luyen(
      tinyLlama(7),
      data,
      val,
      null,
      stopAt5,
    );
    expect(part.global_step).toBe(5);
    expect(readdirSync(dir).sort()).toEqual(['checkpoint-3', 'checkpoint-5']);
    const weights = parseSafetensors(readFileSync(join(dir, 'checkpoint-5', 'model.safetensors'))).tensors;
    expect(weights.has('model.layers.0.self_attn.q_proj.weight')).toBe(true);

    // From checkpoint-5 (latest; an epoch end, mid logging window) and from checkpoint-3 (mid-epoch, by path).
    for (const resume_from_checkpoint of [true, join(dir, 'checkpoint-3')] as const) {
      const resumedModel = tinyLlama(8); // other initial weights: all must come from the checkpoint
      const trainer = new SFTTrainer({
        ...opts,
        output_dir: join(dir, 'again'),
        resume_from_checkpoint: resume_from_checkpoint === true ? join(dir, 'checkpoint-5') : resume_from_checkpoint,
      });
      const resumed = await trainer.huan_luyen(resumedModel, data, val);
      expect(await flatWeights(resumedModel)).toEqual(fullWeights);
      expect(withoutWallClock(resumed.history)).toEqual(withoutWallClock(unbroken.history));
      expect(resumed).toMatchObject({
        global_step: 10,
        so_epoch: 2,
        train_loss_min: unbroken.train_loss_min,
        val_loss_min: unbroken.val_loss_min,
      });
      expect(strip(trainer.lay_lich_su().records)).toEqual(strip(unbrokenTrainer.lay_lich_su().records));
    }
    const latest = new SFTTrainer({ ...opts, output_dir: dir, resume_from_checkpoint: true });
    await latest.huan_luyen(tinyLlama(9), data, val);
    expect(latest.thong_ke().resumed_from).toBe('checkpoint-5');
  });

  it('determinism: the same seed gives an identical history, another seed a different one', async () => {
    const data = records(16, 4);
    const run = async (seed: number) =>
      (
        await new SFTTrainer({ ...fast, so_vong: 2, kich_thuoc_batch: 2, gradient_accumulation: 2, seed }).huan_luyen(
          tinyLlama(1),
          data,
        )
      ).history;
    const a = withoutWallClock(await run(42));
    expect(withoutWallClock(await run(42))).toEqual(a);
    expect((await run(43)).train_loss).not.toEqual(a.train_loss);
  });

  it('logs, validates each epoch, reports statistics, and a callback returning false stops after that step', async () => {
    const data = records(12, 5);
    const trainer = new SFTTrainer({
      ...fast,
      so_vong: 2,
      kich_thuoc_batch: 2,
      gradient_accumulation: 2,
      logging_steps: 2,
      max_seq_length: 8,
    });
    expect(trainer.thong_ke()).toMatchObject({ global_step: 0, tokens_seen: 0, examples_truncated: 0 });
    expect(trainer.lay_lich_su().train_loss).toEqual([]);
    const result = await trainer.huan_luyen(tinyLlama(2), data, records(4, 6));
    expect(result.history.val_loss).toHaveLength(2);
    expect(trainer.lay_lich_su()).toMatchObject({ step: [2, 4, 6], val_step: [3, 6] });
    const truncated = data.filter((r) => r.input_ids.length > 8).length;
    const stats = trainer.thong_ke();
    expect(stats).toMatchObject({
      global_step: 6,
      so_epoch: 2,
      examples: 12,
      examples_truncated: truncated,
      backend: 'js',
      lora: false,
    });
    expect(stats.trainable_parameters).toBe(stats.total_parameters);
    expect(stats.tokens_seen).toBe(2 * data.reduce((a, r) => a + Math.min(8, r.input_ids.length), 0));
    expect(stats.tokens_per_second).toBeGreaterThan(0);
    expect(result.tong_thoi_gian).toBeGreaterThan(0);

    const stopped = new SFTTrainer({ ...fast, so_vong: 2, kich_thuoc_batch: 2, gradient_accumulation: 2 });
    const seen: number[] = [];
    const r2 = await stopped.huan_luyen(tinyLlama(2), data, null, null, async (rec) => {
      seen.push(rec.step);
      return rec.step < 2;
    });
    expect(seen).toEqual([1, 2]);
    expect(r2.global_step).toBe(2);
    expect(stopped.thong_ke().stopped_early).toBe(true);
  });

  it('takes training data as an async iterable as well as an array (same run)', async () => {
    const data = records(8, 9);
    async function* stream() {
      for (const r of data) yield r;
    }
    const opts = { ...fast, so_vong: 1, kich_thuoc_batch: 2, gradient_accumulation: 2 };
    const fromArray = await new SFTTrainer(opts).huan_luyen(tinyLlama(4), data);
    const fromStream = await new SFTTrainer(opts).huan_luyen(tinyLlama(4), stream());
    expect(withoutWallClock(fromStream.history)).toEqual(withoutWallClock(fromArray.history));
  });

  it('packing and LoRA: both train; LoRA leaves the base weights alone', async () => {
    const data = records(16, 7);
    const packed = new SFTTrainer({
      ...fast,
      so_vong: 1,
      kich_thuoc_batch: 2,
      gradient_accumulation: 1,
      packing: true,
      max_seq_length: 40,
    });
    const pr = await packed.huan_luyen(tinyLlama(3), data);
    expect(packed.thong_ke().examples).toBeLessThan(16);
    expect(pr.train_loss_min).toBeLessThan(Math.log(64) + 0.5);

    const model = tinyLlama(3);
    const base = await model.stateDict();
    const lora = new SFTTrainer({
      ...fast,
      so_vong: 2,
      kich_thuoc_batch: 4,
      gradient_accumulation: 1,
      lora: { r: 4, lora_alpha: 8, target_modules: ['q_proj', 'v_proj'] },
    });
    const lr = await lora.huan_luyen(model, data);
    const stats = lora.thong_ke();
    expect(stats.lora).toBe(true);
    expect(stats.trainable_parameters).toBe(2 * (4 * 16 + 16 * 4 + (4 * 16 + 8 * 4))); // per layer q: A 4×16, B 16×4; v: A 4×16, B 8×4
    expect(lr.history.train_loss.at(-1)).toBeLessThan(lr.history.train_loss[0] as number);
    const after = await model.stateDict();
    expect(after.get('model.layers.0.self_attn.q_proj.weight')?.data).toEqual(
      base.get('model.layers.0.self_attn.q_proj.weight')?.data,
    );
    expect(after.has('model.layers.0.self_attn.q_proj.lora_A.weight')).toBe(true);
  });

  it('lora takes every LoRA key the models package knows (use_rslora: scale α/√r) and names an unknown one', async () => {
    const rs = new SFTTrainer({
      ...fast,
      max_steps: 1,
      kich_thuoc_batch: 4,
      lora: { r: 4, lora_alpha: 8, use_rslora: true, target_modules: ['q_proj'] },
    });
    await rs.huan_luyen(tinyLlama(3), records(8, 3));
    const scales = [...(rs.loraModel?.layers.values() ?? [])].map((l) => (l.adapter as LoraAdapter | null)?.scale);
    expect(scales).toEqual([8 / 2, 8 / 2]); // α/√r = 8/√4, one q_proj per layer
    expect(() => new SFTTrainer({ lora: { r: 4, rank_pattern: {} } as never })).toThrow(/lora\.rank_pattern/);
  });

  describe('bad input: a clear error naming the record or key, and nothing written to output_dir', () => {
    const phi3 = phi3Tokenizer();
    const cases: [string, unknown[], RegExp, Record<string, unknown>][] = [
      [
        'a record of unknown shape',
        [{ text: 'ok' }, { instruction: 'Q', output: 'A' }],
        /du_lieu_train\[1\] has keys instruction, output, which fit no SFT format/,
        { index: 1, key: null },
      ],
      ['an empty dataset', [], /du_lieu_train is empty/, { index: null }],
      [
        'a conversation without an assistant turn',
        [
          {
            messages: [
              { role: 'user', content: 'Hi' },
              { role: 'assistant', content: 'Hello' },
            ],
          },
          { messages: [{ role: 'user', content: 'Hi' }] },
        ],
        /du_lieu_train\[1\]\.messages has no assistant turn/,
        { index: 1, key: 'messages' },
      ],
      [
        'a prompt without completion',
        [{ prompt: 'Q' }],
        /du_lieu_train\[0\]\.completion is missing/,
        { index: 0, key: 'completion' },
      ],
      [
        'a token id outside the vocabulary',
        [{ input_ids: [1, 2, 99999] }],
        /du_lieu_train\[0\]\.input_ids has token id 99999/,
        { index: 0, key: 'input_ids' },
      ],
    ];
    it.each(cases)('%s', async (_name, data, message, fields) => {
      const dir = join(tmp(), 'out');
      const trainer = new SFTTrainer({ output_dir: dir, save_steps: 1 });
      const model = tinyLlama(0, undefined, 32064); // phi-3's vocabulary
      const promise = trainer.huan_luyen(model, data as never, null, phi3);
      await expect(promise).rejects.toThrow(TrainingDataError);
      await expect(promise).rejects.toThrow(message);
      await expect(promise).rejects.toMatchObject(fields);
      expect(existsSync(dir)).toBe(false);
    });

    it('a negative toc_do_hoc and an unknown option key fail at construction, naming the key', () => {
      expect(() => new SFTTrainer({ toc_do_hoc: -1e-5 })).toThrow(ConfigError);
      expect(() => new SFTTrainer({ toc_do_hoc: -1e-5 })).toThrow(
        "SFTTrainer: option 'toc_do_hoc' = -0.00001 is not allowed; expected a number ≥ 0.",
      );
      expect(() => new SFTTrainer({ lr: 1e-4 } as never)).toThrow(/option 'lr'.*unknown option/);
      // TRL's name is an alias of toc_do_hoc (issue 16), not an unknown key.
      expect(new SFTTrainer({ learning_rate: 1e-4 }).options.toc_do_hoc).toBe(1e-4);
      expect(() => new SFTTrainer({ kich_thuoc_bach: 2 } as never)).toThrow(/did you mean 'kich_thuoc_batch'/);
      expect(() => new SFTTrainer({ lora: { r: 0 } })).toThrow(/option 'lora.r' = 0/);
      expect(() => new SFTTrainer({ max_seq_length: 0 })).toThrow(/'max_seq_length' = 0/);
    });

    it('text records without any tokenizer name the record', async () => {
      await expect(new SFTTrainer().huan_luyen(tinyLlama(0), [{ text: 'hello' }])).rejects.toThrow(
        /du_lieu_train\[0\]\.text needs a tokenizer/,
      );
    });
  });
});

describe('SFTTrainer: whole-window checkpoints and one history builder', () => {
  it('resumed at step 6 of 10 (mid logging window of 4) logs exactly what the unbroken run logs; lay_lich_su() = result.history', async () => {
    const data = records(20, 11);
    const val = records(4, 12);
    const storage = new MemoryCheckpointStorage();
    const opts = { ...fast, logging_steps: 4, so_vong: 1, kich_thuoc_batch: 2, gradient_accumulation: 1 };
    const unbrokenTrainer = new SFTTrainer({ ...opts, checkpoint_storage: storage, save_steps: 3 });
    const unbroken = await unbrokenTrainer.huan_luyen(tinyLlama(5), data, val);
    expect(unbroken.history.step).toEqual([4, 8, 10]);
    expect(unbrokenTrainer.lay_lich_su()).toEqual(unbroken.history);
    expect(Object.keys(unbroken.history).slice(0, 4)).toEqual(['train_loss', 'val_loss', 'learning_rate', 'grad_norm']);

    const trainer = new SFTTrainer({ ...opts, checkpoint_storage: storage, resume_from_checkpoint: 'checkpoint-6' });
    const resumed = await trainer.huan_luyen(tinyLlama(6), data, val);
    expect(trainer.thong_ke().resumed_from).toBe('checkpoint-6');
    expect(withoutWallClock(resumed.history)).toEqual(withoutWallClock(unbroken.history));
    expect(trainer.lay_lich_su()).toEqual(resumed.history);
  });
});
