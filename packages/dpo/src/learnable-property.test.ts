import { describe, expect, it } from 'vitest';
import { type ExperimentSettings, runPropertyExperiment } from './__fixtures__/learnable-property.js';

/** The fast run (CI): ~30 s on two cores with backend-js. */
const FAST: ExperimentSettings = {
  samplesPerPrompt: 12,
  pairsPerPrompt: 3,
  continuationTokens: 20,
  evalSamplesPerPrompt: 10,
  trainer: { toc_do_hoc: 3e-4, kich_thuoc_batch: 4, gradient_accumulation: 1, so_vong: 3, logging_steps: 3, beta: 0.1 },
};

describe('DPO learns a simple measurable property (stories260K, pairs from its own samples)', () => {
  it('chosen = a continuation using the word "big": margin > 0, accuracy ≫ 0.5, held-out rate rises (≥ 50 samples)', async () => {
    const r = await runPropertyExperiment(FAST);
    const summary = {
      ...r,
      result: undefined,
      final_reward_margin: r.result.final_reward_margin,
      train_loss: r.result.history.train_loss,
    };
    console.log(JSON.stringify(summary));
    expect(r.pairs).toBeGreaterThanOrEqual(10);
    expect(r.samplesPerRate).toBeGreaterThanOrEqual(50);
    expect(r.result.final_reward_margin).toBeGreaterThan(0);
    expect(r.trainAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(r.heldOutAccuracy).toBeGreaterThan(0.5);
    const losses = r.result.history.train_loss;
    expect(losses[losses.length - 1]).toBeLessThan((losses[0] as number) - 0.3);
    // measured by the plain rule /\bbig\b/i on the same seeds before and after (0.18 → 0.46 when written)
    expect(r.rateAfter).toBeGreaterThanOrEqual(r.rateBefore + 0.15);
  }, 300_000);
});
