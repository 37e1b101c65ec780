import { describe, expect, it } from 'vitest';
import { type ExperimentSettings, runPropertyExperiment } from './__fixtures__/learnable-property.js';

/** The fast run (CI): about 15 s of CPU with backend-js. 14 desirable, 36 undesirable: desirable_weight 3 is in the range the KTO paper recommends (eq. 8: λ_D·n_D / (λ_U·n_U) in [1, 4/3]). */
const FAST: ExperimentSettings = {
  samplesPerPrompt: 12,
  perPromptAndLabel: 3,
  continuationTokens: 20,
  evalSamplesPerPrompt: 10,
  trainer: {
    toc_do_hoc: 3e-4,
    kich_thuoc_batch: 4,
    gradient_accumulation: 1,
    so_vong: 2,
    logging_steps: 3,
    beta: 0.1,
    desirable_weight: 3,
  },
};

describe('KTO learns a simple measurable property (stories260K, thumbs up/down on its own samples)', () => {
  it('desirable = a continuation using the word "big": reward margin > 0, held-out rate rises (≥ 50 samples)', async () => {
    const r = await runPropertyExperiment(FAST);
    const h = r.result.history;
    console.log(
      JSON.stringify({
        ...r,
        result: undefined,
        final_reward_margin: r.result.final_reward_margin,
        final_kl: r.result.final_kl,
        train_loss: h.train_loss,
        reward_margin: h.reward_margin,
        kl: h.kl,
      }),
    );
    expect(r.desirable).toBeGreaterThanOrEqual(10);
    expect(r.undesirable).toBeGreaterThanOrEqual(10);
    expect(r.samplesPerRate).toBeGreaterThanOrEqual(50);
    expect(r.result.final_reward_margin).toBeGreaterThan(0);
    expect(h.train_loss[h.train_loss.length - 1]).toBeLessThan((h.train_loss[0] as number) - 0.05);
    // measured by the plain rule /\bbig\b/i on the same seeds before and after (0.18 → 0.62 when written)
    expect(r.rateAfter).toBeGreaterThanOrEqual(r.rateBefore + 0.15);
  }, 300_000);
});
