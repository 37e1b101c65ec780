import { writeFileSync } from 'node:fs';
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

/** The longer run: `DPO_LONG_RUN=1 pnpm vitest run packages/dpo/src/learnable-property` (a few minutes). */
const LONG: ExperimentSettings = {
  samplesPerPrompt: 32,
  pairsPerPrompt: 8,
  continuationTokens: 24,
  evalSamplesPerPrompt: 40,
  trainer: { toc_do_hoc: 3e-4, kich_thuoc_batch: 4, gradient_accumulation: 2, so_vong: 3, logging_steps: 2, beta: 0.1 },
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

  it.skipIf(!process.env.DPO_LONG_RUN)(
    'the longer run (DPO_LONG_RUN=1), written to dpo-learnable-property.json',
    async () => {
      const r = await runPropertyExperiment(LONG);
      const { result, ...rest } = r;
      const summary = {
        settings: LONG,
        ...rest,
        final_reward_margin: result.final_reward_margin,
        history: result.history,
      };
      writeFileSync(
        process.env.DPO_LONG_RUN_OUT ?? 'dpo-learnable-property.json',
        `${JSON.stringify(summary, null, 1)}\n`,
      );
      console.log(JSON.stringify({ ...rest, final_reward_margin: result.final_reward_margin }));
      expect(result.final_reward_margin).toBeGreaterThan(0);
      expect(r.rateAfter).toBeGreaterThan(r.rateBefore);
    },
  );
});
