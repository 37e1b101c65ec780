import { writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { type ExperimentSettings, runPropertyExperiment } from '../src/__fixtures__/learnable-property.js';

/** The longer run: `pnpm vitest run --config packages/dpo/scripts/vitest.config.ts` (a few minutes). */
const LONG: ExperimentSettings = {
  samplesPerPrompt: 32,
  pairsPerPrompt: 8,
  continuationTokens: 24,
  evalSamplesPerPrompt: 40,
  trainer: { toc_do_hoc: 3e-4, kich_thuoc_batch: 4, gradient_accumulation: 2, so_vong: 3, logging_steps: 2, beta: 0.1 },
};

it('the longer run, written to dpo-learnable-property.json', async () => {
  const r = await runPropertyExperiment(LONG);
  const { result, ...rest } = r;
  const summary = {
    settings: LONG,
    ...rest,
    final_reward_margin: result.final_reward_margin,
    history: result.history,
  };
  writeFileSync(process.env.DPO_LONG_RUN_OUT ?? 'dpo-learnable-property.json', `${JSON.stringify(summary, null, 1)}\n`);
  console.log(JSON.stringify({ ...rest, final_reward_margin: result.final_reward_margin }));
  expect(result.final_reward_margin).toBeGreaterThan(0);
  expect(r.rateAfter).toBeGreaterThan(r.rateBefore);
});
