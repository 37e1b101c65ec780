import { createJsBackend } from '@rlhf/backend-js';
import { describe, expect, it } from 'vitest';
import type { TensorBackend } from '../backend/backend-spec.js';
import { InvalidArgumentError } from '../errors/tensor-errors.js';
import { Linear } from '../nn/linear.js';
import { Module } from '../nn/module.js';
import { tensor } from '../ops/creation.js';
import { mul, sub } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { Random } from '../random/random.js';
import { expectTypedError } from '../testing/expect-typed-error.js';
import { BaseTrainer } from './base-trainer.js';
import { requireCallback, requireModel, requireRecords, requireTokenizer } from './check-arguments.js';
import type { CheckpointTensor, TensorCodec } from './checkpoint.js';
import { MemoryCheckpointStorage } from './checkpoint-storage.js';
import { ConfigError } from './config-error.js';
import { NonFiniteError } from './non-finite-error.js';
import { type TrainerConfig, type TrainerOptions, trainerOptionSpecs } from './trainer-options.js';
import { cloneHistory, type TrainingHistory } from './training-history.js';
import type { TrainingTask } from './training-task.js';

/** y = w·x + b; an item with `poison` set makes its loss `poison` (NaN, ±Infinity) or scales it (`scale`). */
class Regressor extends Module {
  readonly lin: Linear;
  constructor(backend: TensorBackend) {
    super(backend);
    this.lin = this.registerModule('lin', new Linear(backend, { inFeatures: 2, outFeatures: 1 }, new Random(1)));
  }
}

interface Item {
  x: number[];
  y: number;
  /** Multiplies this item's squared error (NaN, Infinity or a huge finite number). */
  scale?: number;
}

function task(model: Regressor): TrainingTask<Item> {
  return {
    measure: (items) => ({ units: items.length, tokens: items.length * 2 }),
    loss: (items) => {
      const x = tensor(
        model.backend,
        items.flatMap((i) => i.x),
        [items.length, 2],
      ); // (B, 2)
      const y = tensor(
        model.backend,
        items.map((i) => i.y),
        [items.length, 1],
      ); // (B, 1)
      const s = tensor(
        model.backend,
        items.map((i) => i.scale ?? 1),
        [items.length, 1],
      ); // (B, 1)
      const err = sub(model.lin.forward(x), y);
      return { loss: sum(mul(mul(err, err), s)) }; // Σ s·(ŷ − y)²
    },
  };
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

class Toy extends BaseTrainer<TrainerOptions> {
  constructor(options: TrainerConfig = {}) {
    super(
      'ToyTrainer',
      trainerOptionSpecs({
        so_vong: 1,
        kich_thuoc_batch: 1,
        toc_do_hoc: 0.01,
        gradient_accumulation: 2,
        gradient_clip: 1,
        warmup_ratio: 0,
        weight_decay: 0,
        logging_steps: 1,
        seed: 3,
      }),
      options,
    );
  }
  async huan_luyen(model: Regressor, data: Item[]): Promise<TrainingHistory> {
    await this.fit({ model, task: task(model), train: data, val: null, callback: null, codec, rng: new Random(1) });
    return this.lay_lich_su();
  }
  protected buildHistory(h: TrainingHistory): TrainingHistory {
    return cloneHistory(h);
  }
  thong_ke() {
    return this.baseStats();
  }
}

const backend = createJsBackend();
/** 8 items, 2 per step (accumulation 2): 4 steps; `bad` replaces item i's scale. */
function data(bad: Record<number, number> = {}): Item[] {
  return Array.from({ length: 8 }, (_, i) => ({ x: [i / 8, 1 - i / 8], y: i % 3, scale: bad[i] ?? 1 }));
}
async function values(model: Module): Promise<number[]> {
  return [...(await model.stateDict()).values()].flatMap((t) => Array.from(t.data));
}

describe('bad input: trainer options (shared table), ConfigError naming the key', () => {
  const cases: [string, TrainerConfig | unknown, string][] = [
    ['options: so_vong 0', { so_vong: 0 }, 'so_vong'],
    ['options: so_vong 1.5', { so_vong: 1.5 }, 'so_vong'],
    ['options: kich_thuoc_batch -3', { kich_thuoc_batch: -3 }, 'kich_thuoc_batch'],
    ['options: toc_do_hoc NaN', { toc_do_hoc: Number.NaN }, 'toc_do_hoc'],
    ['options: toc_do_hoc Infinity', { toc_do_hoc: Number.POSITIVE_INFINITY }, 'toc_do_hoc'],
    ['options: toc_do_hoc a string', { toc_do_hoc: '1e-4' }, 'toc_do_hoc'],
    ['options: gradient_accumulation 0', { gradient_accumulation: 0 }, 'gradient_accumulation'],
    ['options: gradient_clip -1', { gradient_clip: -1 }, 'gradient_clip'],
    ['options: warmup_ratio 1.5', { warmup_ratio: 1.5 }, 'warmup_ratio'],
    ['options: weight_decay -0.1', { weight_decay: -0.1 }, 'weight_decay'],
    ['options: logging_steps 0', { logging_steps: 0 }, 'logging_steps'],
    ['options: max_steps 0', { max_steps: 0 }, 'max_steps'],
    ['options: save_steps -1', { save_steps: -1 }, 'save_steps'],
    ['options: skip_nonfinite_steps "yes"', { skip_nonfinite_steps: 'yes' }, 'skip_nonfinite_steps'],
    ['options: null instead of an object', null, '(options)'],
    ['options: an array instead of an object', [1, 2], '(options)'],
    ['options: a string instead of an object', 'fast', '(options)'],
  ];
  it.each(cases)('%s', async (_title, options, key) => {
    await expectTypedError(() => new Toy(options as TrainerConfig), {
      type: ConfigError,
      code: 'CONFIG_INVALID',
      mentions: ['ToyTrainer', `'${key}'`],
    });
  });
});

describe('bad input: non-finite runs stop with NonFiniteError naming the step, before the update', () => {
  it('non-finite: NaN losses everywhere stop at step 1, micro-batch 1/2, before any update; nothing written', async () => {
    const storage = new MemoryCheckpointStorage();
    const model = new Regressor(backend);
    const trainer = new Toy({ checkpoint_storage: storage, save_steps: 1 });
    const allNaN = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [i, Number.NaN]));
    const error = (await expectTypedError(() => trainer.huan_luyen(model, data(allNaN)), {
      type: NonFiniteError,
      code: 'NON_FINITE',
      mentions: ['ToyTrainer', 'step 1', 'micro-batch 1/2', 'NaN'],
    })) as NonFiniteError;
    expect(error).toMatchObject({ step: 1, quantity: 'loss', microBatch: { index: 1, of: 2 } });
    expect(await values(model)).toEqual(await values(new Regressor(backend))); // never updated
    expect(await storage.list()).toEqual([]); // nothing written
  });

  it('non-finite: an Infinity loss in the second micro-batch of step 3 names step 3, micro-batch 2/2; steps 1–2 checkpoints are finite', async () => {
    const storage = new MemoryCheckpointStorage();
    const model = new Regressor(backend);
    // The epoch order is the run generator's (seed 1) first shuffle.
    const order = new Random(1).shuffle(Array.from({ length: 8 }, (_, i) => i));
    const target = order[5] as number; // step 3 = positions 4, 5; micro-batch 2 = position 5
    const trainer = new Toy({ checkpoint_storage: storage, save_steps: 1 });
    const error = (await expectTypedError(
      () => trainer.huan_luyen(model, data({ [target]: Number.POSITIVE_INFINITY })),
      {
        type: NonFiniteError,
        mentions: ['step 3', 'micro-batch 2/2', 'Infinity'],
      },
    )) as NonFiniteError;
    expect(error.step).toBe(3);
    expect(await storage.list()).toEqual(['checkpoint-1', 'checkpoint-2']);
    for (const name of await storage.list()) {
      const files = await storage.read(name);
      const weights = codec.decode(files.get('model.json') as Uint8Array, name);
      for (const t of weights.values()) expect(t.data.every(Number.isFinite)).toBe(true);
    }
    expect(trainer.thong_ke().global_step).toBe(2);
  });

  it('non-finite: a finite loss whose gradient norm overflows (scale 1e38) names the gradient norm of step 1', async () => {
    const model = new Regressor(backend);
    const error = (await expectTypedError(
      () => new Toy().huan_luyen(model, data(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [i, 1e37])))),
      { type: NonFiniteError, mentions: ['gradient norm', 'step 1'] },
    )) as NonFiniteError;
    expect(error.quantity).toBe('gradient norm');
    expect(await values(model)).toEqual(await values(new Regressor(backend)));
  });

  it('non-finite: with skip_nonfinite_steps the run finishes, skips only the bad step, counts it in thong_ke() and the history', async () => {
    const order = new Random(1).shuffle(Array.from({ length: 8 }, (_, i) => i));
    const trainer = new Toy({ skip_nonfinite_steps: true });
    const history = await trainer.huan_luyen(new Regressor(backend), data({ [order[4] as number]: Number.NaN }));
    expect(trainer.thong_ke()).toMatchObject({ global_step: 4, skipped_steps: 1 });
    expect(history.skipped_steps).toEqual([0, 0, 1, 0]);
    expect(Number.isNaN(history.train_loss[2])).toBe(true); // the skipped step's window has no loss
    expect(history.train_loss.filter(Number.isFinite)).toHaveLength(3);
  });
});

describe('bad input: library arguments of the wrong kind are InvalidArgumentError naming the argument', () => {
  const method = 'X.huan_luyen';
  it.each([
    ['arguments: model null', () => requireModel(method, 'model', null), ['model', 'null']],
    ['arguments: model without forward', () => requireModel(method, 'model', { parameters: () => [] }), ['forward()']],
    ['arguments: model a number', () => requireModel(method, 'model', 3), ['model', '3']],
    [
      'arguments: data a string',
      () => requireRecords(method, 'du_lieu_train', 'train.jsonl'),
      ['du_lieu_train', 'records'],
    ],
    ['arguments: data undefined', () => requireRecords(method, 'du_lieu_train', undefined), ['du_lieu_train']],
    ['arguments: callback an object', () => requireCallback(method, 'callback', {}), ['callback', 'function']],
    ['arguments: tokenizer a string', () => requireTokenizer(method, 'tokenizer', 'gpt2'), ['tokenizer', 'encode()']],
  ] as const)('%s', async (_title, run, mentions) => {
    await expectTypedError(run, {
      type: InvalidArgumentError,
      code: 'INVALID_ARGUMENT',
      mentions: [method, ...mentions],
    });
  });
});
