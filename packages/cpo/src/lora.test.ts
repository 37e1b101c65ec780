import { createJsBackend } from '@rlhf/backend-js';
import { MemoryCheckpointStorage } from '@rlhf/core';
import { withoutWallClock } from '@rlhf/core/testing';
import { parseSafetensors } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { loadStories260K } from './__fixtures__/data.js';
import { CPOTrainer } from './cpo-trainer.js';
import { ORPOTrainer } from './orpo-trainer.js';

const PAIRS = [
  { prompt: 'Once upon a time, there was a girl.', chosen: ' She had a big dog.', rejected: ' She was sad.' },
  { prompt: 'Tom went to the park.', chosen: ' He saw a big tree.', rejected: ' He fell down.' },
  { prompt: 'The cat wanted to play.', chosen: ' It found a big ball.', rejected: ' It slept.' },
  { prompt: 'Ben had a red car.', chosen: ' It was big and fast.', rejected: ' It broke.' },
];

type Model = ReturnType<typeof loadStories260K>;

async function weights(model: Model): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const [name, p] of model.namedParameters()) out.set(name, Float32Array.from(await p.data()));
  return out;
}

describe('ORPOTrainer and CPOTrainer with lora (TRL: peft_config)', () => {
  for (const [name, make] of [
    ['ORPOTrainer', (o: object) => new ORPOTrainer(o)],
    ['CPOTrainer', (o: object) => new CPOTrainer(o)],
  ] as const) {
    it(`${name}: only the adapters train; the base weights are unchanged and hold no optimizer state`, async () => {
      const model = loadStories260K(createJsBackend());
      const before = await weights(model);
      const storage = new MemoryCheckpointStorage();
      const trainer = make({
        kich_thuoc_batch: 4,
        gradient_accumulation: 1,
        so_vong: 3,
        toc_do_hoc: 1e-2,
        logging_steps: 1,
        max_seq_length: 32,
        lora: { r: 4, lora_alpha: 8, target_modules: ['q_proj', 'v_proj', 'o_proj'] },
        checkpoint_storage: storage,
        save_steps: 3,
      });
      const result = await trainer.huan_luyen(model, PAIRS);
      expect(trainer.lora).not.toBeNull();
      let adapters = 0;
      for (const [n, p] of model.namedParameters()) {
        if (n.includes('lora_')) {
          adapters++;
          continue;
        }
        expect(Array.from(await p.data()), n).toEqual(Array.from(before.get(n) as Float32Array));
      }
      expect(adapters).toBe(5 * 3 * 2); // 5 layers × 3 targets × (A, B)
      const files = await storage.read('checkpoint-3');
      const moments = [...parseSafetensors(files.get('optimizer.safetensors') as Uint8Array).tensors.keys()];
      expect(moments.length).toBeGreaterThan(0);
      expect(moments.every((m) => m.includes('lora_A') || m.includes('lora_B'))).toBe(true);
      const stats = trainer.thong_ke();
      expect(stats.trainable_parameters).toBeLessThan(stats.total_parameters / 10);
      // The adapters learned: the loss fell and the chosen responses became likelier (both objectives carry an
      // NLL term on them; at this size it dominates ORPO's odds-ratio term).
      const losses = result.history.train_loss;
      expect(losses[losses.length - 1] as number).toBeLessThan(0.8 * (losses[0] as number));
      const chosen = result.history.chosen_logps;
      expect(chosen[chosen.length - 1] as number).toBeGreaterThan(chosen[0] as number);
      // Merged, the model computes what it computed with the adapters on.
      const logits = async () => (await model.forward(ids).logits.data()) as Float32Array;
      const { tensor } = await import('@rlhf/core');
      const ids = tensor(model.backend, Int32Array.from([1, 403, 407, 261]), [1, 4], 'int32');
      const adapted = await logits();
      trainer.lora?.merge();
      expect([...model.namedParameters()].some(([n]) => n.includes('lora_'))).toBe(false);
      const merged = await logits();
      for (let i = 0; i < adapted.length; i++) expect(merged[i]).toBeCloseTo(adapted[i] as number, 4);
      model.dispose();
    });
  }

  it('ORPO with lora stopped at step 2 and resumed from its checkpoint ends with the unbroken run’s adapters', async () => {
    const backend = createJsBackend();
    const options = {
      kich_thuoc_batch: 1,
      gradient_accumulation: 1,
      toc_do_hoc: 1e-2,
      logging_steps: 1,
      max_seq_length: 32,
      save_steps: 1,
      lora: { r: 4, lora_alpha: 8 },
    };
    const unbroken = loadStories260K(backend);
    const full = await new ORPOTrainer(options).huan_luyen(unbroken, PAIRS);
    const storage = new MemoryCheckpointStorage();
    const first = loadStories260K(backend);
    await new ORPOTrainer({ ...options, checkpoint_storage: storage }).huan_luyen(
      first,
      PAIRS,
      null,
      (r) => r.step < 2,
    );
    const resumed = loadStories260K(backend);
    const trainer = new ORPOTrainer({
      ...options,
      checkpoint_storage: storage,
      resume_from_checkpoint: 'checkpoint-2',
    });
    const rest = await trainer.huan_luyen(resumed, PAIRS);
    expect(withoutWallClock(rest.history)).toEqual(withoutWallClock(full.history));
    const [a, b] = [await weights(unbroken), await weights(resumed)];
    expect([...b.keys()].filter((n) => n.includes('lora_')).length).toBe(5 * 2 * 2);
    for (const [name, values] of a) expect(Array.from(b.get(name) ?? []), name).toEqual(Array.from(values));
    for (const m of [unbroken, first, resumed]) m.dispose();
  });
});
