import { describe, expect, it } from 'vitest';
import { alpacaRecords, xquadViRecords } from './__fixtures__/datasets.js';
import { stories260K } from './__fixtures__/models.js';
import type { SFTConfig } from './sft-config.js';
import { SFTTrainer } from './sft-trainer.js';

/**
 * Real data, short runs (a few dozen optimizer steps on subsets, so CI stays fast): stories260K (a
 * TinyStories model, converted from llama2.c) fine-tuned on held-in records, validation loss measured on
 * held-out records before the first step (`eval_on_start`) and after the last. The margins asserted are
 * well below what these runs reach (see docs/decisions/sft-validation-figures.md for the figures and for longer runs).
 */
const SHORT: SFTConfig = {
  so_vong: 1,
  kich_thuoc_batch: 8,
  gradient_accumulation: 1,
  max_seq_length: 64,
  warmup_ratio: 0.1,
  logging_steps: 4,
  eval_on_start: true,
};

async function fineTune(options: SFTConfig, train: object[], val: object[]) {
  const trainer = new SFTTrainer({ ...SHORT, ...options });
  const result = await trainer.huan_luyen(stories260K(), train as never, val as never);
  const [before, after] = [result.history.val_loss[0] as number, result.history.val_loss.at(-1) as number];
  console.log(JSON.stringify({ options, before, after, stats: trainer.thong_ke() }));
  return { result, before, after, stats: trainer.thong_ke() };
}

describe('SFT on real data with stories260K', () => {
  const alpaca = alpacaRecords();
  const alpacaTrain = alpaca.slice(100, 228); // 128 records → 16 steps
  const alpacaVal = alpaca.slice(0, 24); // held out

  it('alpaca_en_demo: held-out validation loss falls by more than 0.2 nats in 16 steps', async () => {
    const { before, after, result, stats } = await fineTune({ toc_do_hoc: 3e-3 }, alpacaTrain, alpacaVal);
    expect(result.global_step).toBe(16);
    expect(before).toBeGreaterThan(3.5); // English instructions are far from TinyStories
    expect(before - after).toBeGreaterThan(0.2);
    expect(result.val_loss_min).toBe(after);
    expect(stats.examples_truncated).toBeGreaterThan(0);
  });

  it('alpaca_en_demo with LoRA (r 8 on every projection): loss falls, base weights frozen', async () => {
    const lora = {
      r: 8,
      lora_alpha: 16,
      target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
    };
    const { before, after, stats } = await fineTune({ toc_do_hoc: 1e-2, lora }, alpacaTrain, alpacaVal);
    expect(stats.lora).toBe(true);
    expect(stats.trainable_parameters).toBeLessThan(stats.total_parameters / 2);
    expect(before - after).toBeGreaterThan(0.2);
  });

  it('Vietnamese QA from xquad.vi (held-out paragraphs): validation loss falls by more than 2 nats in 16 steps', async () => {
    // Vietnamese is spelled nearly byte by byte by this vocabulary (~1.4 tokens a character): the shorter
    // questions (≤ 80 characters with the answer) fit in 128 tokens whole.
    const qa = xquadViRecords().filter((r) => `${r.prompt}${r.completion}`.length <= 80);
    const train = qa.filter((r) => r.paragraph >= 40).slice(0, 128);
    const val = qa.filter((r) => r.paragraph < 40).slice(0, 24);
    const { before, after, stats } = await fineTune({ toc_do_hoc: 3e-3, max_seq_length: 128 }, train, val);
    expect(stats.examples_truncated).toBe(0);
    expect(stats.val_examples_truncated).toBe(0);
    expect(before).toBeGreaterThan(6); // Vietnamese is nearly unseen: bytes of a 512-token vocabulary
    expect(before - after).toBeGreaterThan(2);
  });
});
