import { createOnnxRuntimeBackend } from '@rlhf/backend-onnxruntime';
import { describe, expect, it } from 'vitest';
import { containsBig, runPropertyExperiment, TRAIN_PROMPTS } from './__fixtures__/learnable-property.js';
import { GRPOTrainer } from './grpo-trainer.js';
import { RLOOTrainer } from './rloo-trainer.js';

// onnxruntime, the fastest CPU backend here: ~5 s each (backend-js gives the same figures in ~20–30 s).
const backend = createOnnxRuntimeBackend();
/** 12 training prompts, 4 per step, 6 completions of 16 tokens each: 6 optimizer steps in 2 epochs. */
const SETTINGS = { num_generations: 6, max_completion_length: 16, toc_do_hoc: 1e-3, kich_thuoc_batch: 4, so_vong: 2 };
/** Held-out rate: 20 samples of 16 tokens for each of the 5 held-out prompts (100 samples), same seeds before and after. */
const EVAL_SAMPLES = 20;
const EVAL_TOKENS = 16;

describe('online RL learns a verifiable property (stories260K, reward 1 when the completion uses "big")', () => {
  it('GRPO: the held-out rate rises by ≥ 0.3 within 6 steps (0.10 → 0.88 when written)', async () => {
    const r = await runPropertyExperiment(
      backend,
      (model) => new GRPOTrainer(SETTINGS).huan_luyen(model, null, TRAIN_PROMPTS, [containsBig]),
      EVAL_SAMPLES,
      EVAL_TOKENS,
    );
    console.log(
      JSON.stringify({ before: r.rateBefore, after: r.rateAfter, reward: r.result.history.reward, seconds: r.seconds }),
    );
    expect(r.samplesPerRate).toBe(100);
    expect(r.result.global_step).toBe(6);
    expect(r.rateAfter).toBeGreaterThanOrEqual(r.rateBefore + 0.3);
    expect(r.result.final_reward).toBeGreaterThan(r.result.initial_reward + 0.25);
  }, 120_000);

  it('RLOO (β 0.05 against a frozen copy): the held-out rate rises by ≥ 0.3 within 6 steps (0.10 → 0.88 when written)', async () => {
    const r = await runPropertyExperiment(
      backend,
      (model) => new RLOOTrainer(SETTINGS).huan_luyen(model, null, TRAIN_PROMPTS, [containsBig]),
      EVAL_SAMPLES,
      EVAL_TOKENS,
    );
    console.log(
      JSON.stringify({
        before: r.rateBefore,
        after: r.rateAfter,
        reward: r.result.history.reward,
        kl: r.result.history.kl,
        seconds: r.seconds,
      }),
    );
    expect(r.result.global_step).toBe(6);
    expect(r.rateAfter).toBeGreaterThanOrEqual(r.rateBefore + 0.3);
    // the policy moved away from the reference: KL to it grows from 0 at the first round
    expect(r.result.history.kl[0]).toBeCloseTo(0, 6);
    expect(r.result.history.kl[r.result.history.kl.length - 1]).toBeGreaterThan(0);
  }, 120_000);
});
