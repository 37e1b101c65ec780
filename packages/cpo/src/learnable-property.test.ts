import { describe, expect, it } from 'vitest';
import { type ExperimentSettings, runPropertyExperiment } from './__fixtures__/learnable-property.js';
import { CPOTrainer } from './cpo-trainer.js';
import { ORPOTrainer } from './orpo-trainer.js';

/** The fast run (CI, ~15 s each on backend-js): pairs from the model's own samples, as `@rlhf/dpo`'s test. */
const FAST: ExperimentSettings = {
  samplesPerPrompt: 12,
  pairsPerPrompt: 3,
  continuationTokens: 20,
  evalSamplesPerPrompt: 10,
};
const LOOP = { kich_thuoc_batch: 4, gradient_accumulation: 1, so_vong: 3, logging_steps: 3, toc_do_hoc: 3e-4 } as const;

/** The report without the per-record copies, for the log. */
const summary = (r: Awaited<ReturnType<typeof runPropertyExperiment>>) => {
  const { records: _records, ...columns } = r.result.history as { records: unknown };
  return JSON.stringify({ ...r, result: undefined, history: columns });
};

describe('reference-free trainers learn a simple measurable property (stories260K, pairs from its own samples)', () => {
  it('ORPO (λ = 0.1): chosen = a continuation using the word "big"; the held-out rate rises by ≥ 0.15 (≥ 50 samples)', async () => {
    const r = await runPropertyExperiment(FAST, (model, pairs) =>
      new ORPOTrainer({ ...LOOP, beta: 0.1 }).huan_luyen(model, pairs),
    );
    console.log(summary(r));
    expect(r.pairs).toBeGreaterThanOrEqual(10);
    expect(r.samplesPerRate).toBeGreaterThanOrEqual(50);
    const h = r.result.history;
    expect(r.result.final_reward_margin).toBeGreaterThan(0);
    expect(h.reward_accuracy[h.reward_accuracy.length - 1]).toBeGreaterThanOrEqual(0.9);
    // Both halves of the objective move: the chosen NLL falls and the log odds ratio grows.
    expect(h.nll_loss[h.nll_loss.length - 1]).toBeLessThan((h.nll_loss[0] as number) - 0.2);
    expect(h.log_odds_chosen[h.log_odds_chosen.length - 1]).toBeGreaterThan((h.log_odds_chosen[0] as number) + 0.5);
    // measured by the plain rule /\bbig\b/i on the same seeds before and after (0.18 → 0.54 when written)
    expect(r.rateAfter).toBeGreaterThanOrEqual(r.rateBefore + 0.15);
  }, 300_000);

  it('SimPO (CPOTrainer, loss_type simpo, cpo_alpha 0, β = 2, γ = 0.5): the held-out rate rises by ≥ 0.15; held-out pairs separate', async () => {
    const r = await runPropertyExperiment(FAST, (model, pairs) =>
      new CPOTrainer({ ...LOOP, loss_type: 'simpo', cpo_alpha: 0, beta: 2, simpo_gamma: 0.5 }).huan_luyen(model, pairs),
    );
    console.log(summary(r));
    expect(r.pairs).toBeGreaterThanOrEqual(10);
    expect(r.samplesPerRate).toBeGreaterThanOrEqual(50);
    const h = r.result.history;
    expect(r.result.final_reward_margin).toBeGreaterThan(1);
    expect(h.reward_accuracy[h.reward_accuracy.length - 1]).toBeGreaterThanOrEqual(0.9);
    expect(h.train_loss[h.train_loss.length - 1]).toBeLessThan((h.train_loss[0] as number) - 0.3);
    // held-out pairs (never trained on) ranked by mean token log-prob: 0.78 → 1.00 when written
    expect(r.heldOutAccuracyAfter).toBeGreaterThanOrEqual(r.heldOutAccuracyBefore);
    // measured by the plain rule /\bbig\b/i on the same seeds before and after (0.18 → 0.42 when written)
    expect(r.rateAfter).toBeGreaterThanOrEqual(r.rateBefore + 0.15);
  }, 300_000);
});
