import { createJsBackend } from '@rlhf/backend-js';
import { describe, expect, it } from 'vitest';
import type { TensorBackend } from '../backend/backend-spec.js';
import { Linear } from '../nn/linear.js';
import { Module } from '../nn/module.js';
import { tensor } from '../ops/creation.js';
import { mul, sub } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { Random } from '../random/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { BaseTrainer } from './base-trainer.js';
import type { CheckpointTensor, TensorCodec } from './checkpoint.js';
import { MemoryCheckpointStorage } from './checkpoint-storage.js';
import { ConfigError } from './config-error.js';
import { type TrainerConfig, type TrainerOptions, trainerOptionSpecs } from './trainer-options.js';
import { cloneHistory, type LogRecord, type TrainingHistory } from './training-history.js';
import type { TrainingTask } from './training-task.js';

/** y = w·x + b fitted to a few points; every item is one "unit" but weighs `n` (like n tokens). */
class Regressor extends Module {
  readonly lin: Linear;
  constructor(backend: TensorBackend, seed: number) {
    super(backend);
    this.lin = this.registerModule('lin', new Linear(backend, { inFeatures: 3, outFeatures: 1 }, new Random(seed)));
  }
}

interface Item {
  x: number[];
  y: number;
  /** Units this item carries (its loss is counted n times, as a sequence of n tokens would be). */
  n: number;
}

function regressionTask(model: Regressor): TrainingTask<Item> {
  return {
    measure: (items) => ({ units: items.reduce((a, i) => a + i.n, 0), tokens: items.length * 3 }),
    loss: (items) => {
      const x = tensor(
        model.backend,
        items.flatMap((i) => i.x),
        [items.length, 3],
      ); // (B, 3)
      const y = tensor(
        model.backend,
        items.map((i) => i.y),
        [items.length, 1],
      ); // (B, 1)
      const w = tensor(
        model.backend,
        items.map((i) => i.n),
        [items.length, 1],
      ); // units per item
      const err = sub(model.lin.forward(x), y);
      return { loss: sum(mul(mul(err, err), w)), metrics: { sq_err: sum(mul(err, err)) as Tensor } }; // Σ n·(ŷ − y)²
    },
    evalExtras: (loss) => ({ val_rmse: Math.sqrt(loss) }),
  };
}

const jsonCodec: TensorCodec = {
  extension: 'json',
  encode: (tensors) =>
    new TextEncoder().encode(JSON.stringify([...tensors].map(([k, t]) => [k, [...t.shape], Array.from(t.data)]))),
  decode: (bytes) =>
    new Map(
      (JSON.parse(new TextDecoder().decode(bytes)) as [string, number[], number[]][]).map(([k, shape, data]) => [
        k,
        { shape, data: Float32Array.from(data) } as CheckpointTensor,
      ]),
    ),
};

class ToyTrainer extends BaseTrainer<TrainerOptions> {
  constructor(options: TrainerConfig = {}) {
    super(
      'ToyTrainer',
      trainerOptionSpecs({
        so_vong: 2,
        kich_thuoc_batch: 2,
        toc_do_hoc: 0.05,
        gradient_accumulation: 1,
        gradient_clip: 1,
        warmup_ratio: 0,
        weight_decay: 0.01,
        logging_steps: 1,
        seed: 7,
      }),
      options,
    );
  }

  async huan_luyen(
    model: Regressor,
    data: Item[],
    val: Item[] | null = null,
    callback: ((r: LogRecord) => boolean | undefined) | null = null,
  ) {
    await this.fit({
      model,
      task: regressionTask(model),
      train: data,
      val,
      callback,
      codec: jsonCodec,
      rng: new Random(this.options.seed),
    });
    return this.lay_lich_su();
  }

  protected buildHistory(h: TrainingHistory): TrainingHistory {
    return cloneHistory(h);
  }

  thong_ke() {
    return this.baseStats();
  }
}

function dataset(count: number): Item[] {
  const rng = new Random(3);
  return Array.from({ length: count }, (_, i) => {
    const x = [rng.normal(), rng.normal(), rng.normal()];
    return { x, y: 2 * x[0]! - x[1]! + 0.5 * x[2]! + 0.1 * rng.normal(), n: 1 + (i % 4) };
  });
}

function maxDiff(a: number[], b: number[]): number {
  expect(a).toHaveLength(b.length);
  return Math.max(...a.map((x, i) => Math.abs(x - (b[i] as number))));
}

async function weights(model: Module): Promise<number[]> {
  return [...(await model.stateDict()).values()].flatMap((t) => Array.from(t.data));
}

describe('shared training loop', () => {
  it('accumulation: 8 × 1, 2 × 4 and 1 × 8 give the same losses and weights (loss normalised per step)', async () => {
    const backend = createJsBackend();
    const data = dataset(24);
    const runs: { losses: number[]; w: number[] }[] = [];
    for (const [batch, accumulation] of [
      [8, 1],
      [2, 4],
      [1, 8],
    ] as const) {
      const model = new Regressor(backend, 1);
      const trainer = new ToyTrainer({ kich_thuoc_batch: batch, gradient_accumulation: accumulation, so_vong: 1 });
      const history = await trainer.huan_luyen(model, data);
      expect(history.step).toEqual([1, 2, 3]);
      runs.push({ losses: history.train_loss, w: await weights(model) });
    }
    for (const r of runs.slice(1)) {
      expect(maxDiff(r.losses, runs[0]!.losses)).toBeLessThan(1e-6);
      expect(maxDiff(r.w, runs[0]!.w)).toBeLessThan(1e-6);
    }
  });

  it('the step loss is the unit-weighted mean: Σ n·err² / Σ n, not the mean of micro-batch means', async () => {
    const backend = createJsBackend();
    const data = dataset(4);
    const model = new Regressor(backend, 1);
    const before = await weights(model); // w0, w1, w2, b
    const predict = (x: number[]) => x[0]! * before[0]! + x[1]! * before[1]! + x[2]! * before[2]! + before[3]!;
    const expected = data.reduce((a, i) => a + i.n * (predict(i.x) - i.y) ** 2, 0) / data.reduce((a, i) => a + i.n, 0);
    const trainer = new ToyTrainer({ kich_thuoc_batch: 1, gradient_accumulation: 4, so_vong: 1 });
    const history = await trainer.huan_luyen(model, data);
    expect(history.train_loss[0]).toBeCloseTo(expected, 5);
  });

  it('resume from a checkpoint at step 5 of 10 is bit for bit the unbroken run (weights, history, RNG)', async () => {
    const backend = createJsBackend();
    const data = dataset(10); // 5 steps per epoch with batch 2: step 5 is an epoch end; test mid-epoch too
    for (const stopAt of [5, 3]) {
      const full = new Regressor(backend, 1);
      const fullHistory = await new ToyTrainer({ so_vong: 2, warmup_ratio: 0.2 }).huan_luyen(
        full,
        data,
        data.slice(0, 4),
      );

      const storage = new MemoryCheckpointStorage();
      const first = new Regressor(backend, 1);
      const stopper = (r: LogRecord) => (r.kind === 'train' && r.step === stopAt ? false : undefined);
      const t1 = new ToyTrainer({ so_vong: 2, warmup_ratio: 0.2, checkpoint_storage: storage, save_steps: 0 });
      await t1.huan_luyen(first, data, data.slice(0, 4), stopper);
      expect(t1.thong_ke()).toMatchObject({
        global_step: stopAt,
        stopped_early: true,
        checkpoints: [`checkpoint-${stopAt}`],
      });

      const resumed = new Regressor(backend, 99); // other init: everything must come from the checkpoint
      const t2 = new ToyTrainer({
        so_vong: 2,
        warmup_ratio: 0.2,
        checkpoint_storage: storage,
        resume_from_checkpoint: true,
      });
      const history = await t2.huan_luyen(resumed, data, data.slice(0, 4));
      expect(t2.thong_ke().resumed_from).toBe(`checkpoint-${stopAt}`);
      expect(await weights(resumed)).toEqual(await weights(full));
      const strip = (h: typeof history) => h.records.map((r) => ({ ...r, tokens_per_second: 0 }));
      expect(strip(history)).toEqual(strip(fullHistory));
      expect(history.train_loss).toEqual(fullHistory.train_loss);
      expect(history.val_loss).toEqual(fullHistory.val_loss);
    }
  });

  it('logs every logging_steps steps (window means), validates each epoch, and reports counters', async () => {
    const backend = createJsBackend();
    const data = dataset(12); // 6 steps per epoch
    const trainer = new ToyTrainer({ logging_steps: 4, so_vong: 2, eval_on_start: true });
    expect(trainer.thong_ke()).toMatchObject({ global_step: 0, tokens_seen: 0, backend: null });
    const seen: LogRecord[] = [];
    const history = await trainer.huan_luyen(new Regressor(backend, 1), data, data.slice(0, 3), (r) => {
      seen.push(r);
      return undefined;
    });
    expect(history.step).toEqual([4, 8, 12]);
    expect(history.val_step).toEqual([0, 6, 12]);
    expect(history.val_loss[2]!).toBeLessThan(history.val_loss[0]!);
    expect(seen).toEqual(history.records);
    const evalRecord = history.records.find((r) => r.kind === 'eval');
    expect(evalRecord?.metrics.val_rmse).toBeCloseTo(Math.sqrt(history.val_loss[0]!), 12);
    expect(history.metrics.sq_err).toHaveLength(3);
    expect(trainer.thong_ke()).toMatchObject({
      global_step: 12,
      total_steps: 12,
      so_epoch: 2,
      epoch: 2,
      tokens_seen: 12 * 2 * 3,
      backend: 'js',
      examples: 12,
    });
  });

  it('the same seed repeats the run; another seed shuffles differently', async () => {
    const backend = createJsBackend();
    const data = dataset(12);
    const run = async (seed: number) =>
      (await new ToyTrainer({ seed }).huan_luyen(new Regressor(backend, 1), data)).train_loss;
    const a = await run(7);
    expect(await run(7)).toEqual(a);
    expect(await run(8)).not.toEqual(a);
  });

  it('rejects unknown keys, wrong types and out-of-range values, naming the key', () => {
    expect(() => new ToyTrainer({ so_vongg: 2 } as TrainerConfig)).toThrow(/option 'so_vongg'.*did you mean 'so_vong'/);
    expect(() => new ToyTrainer({ toc_do_hoc: -1 })).toThrow(ConfigError);
    expect(() => new ToyTrainer({ toc_do_hoc: -1 })).toThrow(/'toc_do_hoc' = -1 is not allowed; expected a number ≥ 0/);
    expect(() => new ToyTrainer({ kich_thuoc_batch: 1.5 })).toThrow(/'kich_thuoc_batch' = 1.5 .*an integer ≥ 1/);
    expect(() => new ToyTrainer({ warmup_ratio: 2 })).toThrow(/'warmup_ratio'.*\[0, 1\]/);
    expect(() => new ToyTrainer({ lr_scheduler_type: 'step' as 'linear' })).toThrow(
      /one of 'linear', 'cosine', 'constant'/,
    );
    expect(() => new ToyTrainer({ resume_from_checkpoint: true })).toThrow(/resume_from_checkpoint/);
    try {
      new ToyTrainer({ gradient_accumulation: 0 });
    } catch (e) {
      expect(e).toMatchObject({
        key: 'gradient_accumulation',
        value: 0,
        allowed: 'an integer ≥ 1',
        code: 'CONFIG_INVALID',
      });
    }
  });

  it('the backend option must match the model', async () => {
    const model = new Regressor(createJsBackend(), 1);
    await expect(new ToyTrainer({ backend: 'webgpu' }).huan_luyen(model, dataset(4))).rejects.toThrow(
      /'backend' = "webgpu".*model's backend 'js'/,
    );
  });
});
