import { createJsBackend } from '@rlhf/backend-js';
import { describe, expect, it } from 'vitest';
import { Linear } from '../nn/linear.js';
import { Module } from '../nn/module.js';
import { tensor } from '../ops/creation.js';
import { mul, sub } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { Random } from '../random/random.js';
import { BaseTrainer } from './base-trainer.js';
import type { CheckpointTensor, TensorCodec } from './checkpoint.js';
import { MemoryCheckpointStorage } from './checkpoint-storage.js';
import { type TrainerConfig, type TrainerOptions, trainerOptionSpecs } from './trainer-options.js';
import { cloneHistory, type LogRecord, type TrainingHistory } from './training-history.js';
import type { TrainingTask } from './training-task.js';

class Line extends Module {
  readonly lin: Linear;
  constructor(backend = createJsBackend()) {
    super(backend);
    this.lin = this.registerModule('lin', new Linear(backend, { inFeatures: 1, outFeatures: 1 }, new Random(3)));
  }
}

const codec: TensorCodec = {
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

/** A task whose loss is scaled by how many micro-batches it has seen: `(1 + seen/10)·Σ (ŷ − y)²`. */
function countingTask(model: Line, restored: unknown[]): TrainingTask<number> {
  let seen = 0;
  return {
    measure: (items) => ({ units: items.length, tokens: items.length }),
    loss: (items) => {
      seen++;
      const x = tensor(model.backend, items, [items.length, 1]);
      const err = sub(model.lin.forward(x), mul(x, 2));
      return { loss: mul(sum(mul(err, err)), 1 + seen / 10) };
    },
    state: {
      save: async () => ({ seen }),
      restore: (saved) => {
        restored.push(saved);
        seen = (saved as { seen: number } | null)?.seen ?? 0;
      },
    },
  };
}

class CountingTrainer extends BaseTrainer<TrainerOptions> {
  readonly restored: unknown[] = [];
  constructor(options: TrainerConfig = {}) {
    super(
      'CountingTrainer',
      trainerOptionSpecs({
        so_vong: 1,
        kich_thuoc_batch: 1,
        toc_do_hoc: 0.05,
        gradient_accumulation: 1,
        gradient_clip: 0,
        warmup_ratio: 0,
        weight_decay: 0,
        logging_steps: 1,
        seed: 1,
      }),
      options,
    );
  }
  async huan_luyen(model: Line, data: number[], callback: ((r: LogRecord) => unknown) | null = null) {
    const task = countingTask(model, this.restored);
    await this.fit({ model, task, train: data, val: null, callback, codec, rng: new Random(1) });
    return this.lay_lich_su();
  }
  protected buildHistory(h: TrainingHistory): TrainingHistory {
    return cloneHistory(h);
  }
}

describe("a task's state in checkpoints", () => {
  const data = [0.1, 0.5, -0.3, 0.9, -0.7, 0.2];

  it('is written as task_state and restored on resume: the resumed run is the unbroken one, bit for bit', async () => {
    const full = await new CountingTrainer().huan_luyen(new Line(), data);
    const storage = new MemoryCheckpointStorage();
    await new CountingTrainer({ checkpoint_storage: storage, save_steps: 0 }).huan_luyen(new Line(), data, (r) =>
      r.step === 3 ? false : undefined,
    );
    const state = JSON.parse(new TextDecoder().decode((await storage.read('checkpoint-3')).get('trainer_state.json')));
    expect(state.task_state).toEqual({ seen: 3 });

    const trainer = new CountingTrainer({ checkpoint_storage: storage, resume_from_checkpoint: 'checkpoint-3' });
    const resumed = await trainer.huan_luyen(new Line(), data);
    expect(trainer.restored).toEqual([{ seen: 3 }]);
    expect(resumed.train_loss).toEqual(full.train_loss);

    // Without the state (a checkpoint written before task_state existed): restore(null), and the losses differ.
    const files = await storage.read('checkpoint-3');
    const { task_state: _dropped, ...older } = state;
    files.set('trainer_state.json', new TextEncoder().encode(JSON.stringify(older)));
    await storage.write('checkpoint-3-old', files);
    const fresh = new CountingTrainer({ checkpoint_storage: storage, resume_from_checkpoint: 'checkpoint-3-old' });
    const other = await fresh.huan_luyen(new Line(), data);
    expect(fresh.restored).toEqual([null]);
    expect(other.train_loss.slice(3)).not.toEqual(full.train_loss.slice(3));
  });
});
