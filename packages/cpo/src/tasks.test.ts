import { createJsBackend } from '@rlhf/backend-js';
import { noGrad, type Tensor, tensor, tidy } from '@rlhf/core';
import type { TruncatedPair } from '@rlhf/dpo';
import { describe, expect, it } from 'vitest';
import { cpoTask } from './cpo-task.js';
import { CPO_LOSSES } from './losses/registry.js';
import { orpoTask } from './orpo-task.js';
import type { PolicyModel } from './policy-model.js';

const backend = createJsBackend();

/**
 * A model whose logits at every position are [0, ln 2, 0, 0] over a vocabulary of 4: token 1 has
 * probability 2/5, tokens 0, 2 and 3 have 1/5 each, whatever the context.
 */
const fixedModel = {
  backend,
  config: { vocab_size: 4 },
  forward(ids: Tensor) {
    const [n, t] = ids.shape as [number, number];
    const row = [0, Math.LN2, 0, 0];
    return { logits: tensor(backend, Array.from({ length: n * t }, () => row).flat(), [n, t, 4]) };
  },
} as unknown as PolicyModel;

// Pair 1: chosen [1, 1] (2 tokens, each log 2/5), rejected [2, 3, 2] (3 tokens, each log 1/5) — unequal,
//   and of different lengths: Σ_c = 2·log 0.4 = −1.83258146, Σ_r = 3·log 0.2 = −4.82831374; ℓ_c = log 0.4, ℓ_r = log 0.2.
// Pair 2: chosen [2], rejected [3] (1 token each, log 1/5 each) — equal.
const PAIRS: TruncatedPair[] = [
  { prompt: [3], chosen: [1, 1], rejected: [2, 3, 2], truncated: false, promptTruncated: false },
  { prompt: [3], chosen: [2], rejected: [3], truncated: false, promptTruncated: false },
];

async function run(task: ReturnType<typeof orpoTask>): Promise<{ loss: number; metrics: Record<string, number> }> {
  let names: string[] = [];
  const out = tidy(() =>
    noGrad(() => {
      const { loss, metrics = {} } = task.loss(PAIRS);
      names = Object.keys(metrics);
      return [loss, ...Object.values(metrics).map((m) => ('value' in m ? m.value : m))] as Tensor[];
    }),
  );
  const values = await Promise.all(out.map(async (t) => (await t.data())[0] as number));
  return { loss: values[0] as number, metrics: Object.fromEntries(names.map((n, i) => [n, values[i + 1] as number])) };
}

describe('the tasks on a model with known log-probabilities (sums over the 2 pairs of a micro-batch)', () => {
  it('ORPO, λ = 0.5: pair 1 odds 2/3 vs 1/4 → L_OR = log(1 + 3/8); pair 2 equal → ln 2; L_SFT = −log 0.4, −log 0.2', async () => {
    // Pair 1: odds(0.4) = 0.4/0.6 = 2/3, odds(0.2) = 1/4, ratio 8/3: −log σ(log 8/3) = log(1 + 3/8) = 0.31845373;
    //   loss = −log 0.4 + 0.5·0.31845373 = 0.91629073 + 0.15922687 = 1.07551760.
    // Pair 2: loss = −log 0.2 + 0.5·ln 2 = 1.60943791 + 0.34657359 = 1.95601150. Sum: 3.03152910.
    const { loss, metrics } = await run(orpoTask(fixedModel, 0.5, 0));
    expect(loss).toBeCloseTo(3.0315291, 5);
    expect(metrics.nll_loss).toBeCloseTo(-Math.log(0.4) - Math.log(0.2), 5);
    expect(metrics.log_odds_chosen).toBeCloseTo(Math.log(8 / 3), 5); // + 0 for pair 2
    expect(metrics.log_odds_ratio).toBeCloseTo(-Math.log(11 / 8) - Math.LN2, 5);
    // rewards are β·ℓ (length-averaged): 0.5·(log 0.4 + log 0.2) chosen, 0.5·(log 0.2 + log 0.2) rejected
    expect(metrics.chosen_rewards).toBeCloseTo(0.5 * (Math.log(0.4) + Math.log(0.2)), 5);
    expect(metrics.rejected_rewards).toBeCloseTo(Math.log(0.2), 5);
    expect(metrics.reward_margin).toBeCloseTo(0.5 * Math.log(2), 5);
    expect(metrics.reward_accuracy).toBe(1); // pair 1 only (pair 2's margin is 0)
    expect(metrics.chosen_logps).toBeCloseTo(Math.log(0.4) + Math.log(0.2), 5);
  });

  it('CPO sigmoid (β = 0.1, cpo_alpha = 1) sees summed log-probs: h = 2·log 0.4 − 3·log 0.2; plus the chosen NLL per token', async () => {
    // Pair 1: h = −1.83258146 + 4.82831374 = 2.99573227; −log σ(0.29957323) = 0.55453688; NLL = −log 0.4 = 0.91629073.
    // Pair 2: h = 0 → ln 2; NLL = −log 0.2 = 1.60943791. Sum: 0.55453688 + 0.91629073 + 0.69314718 + 1.60943791 = 3.7734127.
    const task = cpoTask(fixedModel, CPO_LOSSES.sigmoid, { beta: 0.1, label_smoothing: 0, simpo_gamma: 0.5 }, 1, 0);
    const { loss, metrics } = await run(task);
    expect(loss).toBeCloseTo(3.7734127, 5);
    expect(metrics.chosen_logps).toBeCloseTo(2 * Math.log(0.4) + Math.log(0.2), 5); // summed, as the loss sees them
    expect(metrics.rejected_logps).toBeCloseTo(3 * Math.log(0.2) + Math.log(0.2), 5);
    expect(metrics.reward_margin).toBeCloseTo(0.1 * 2.99573227, 5);
    expect(metrics.nll_loss).toBeCloseTo(-Math.log(0.4) - Math.log(0.2), 5);
  });

  it('SimPO (β = 2, γ = 0.5, cpo_alpha = 0) sees length-averaged log-probs: h̄ = log 0.4 − log 0.2 = ln 2; no NLL term', async () => {
    // Pair 1: −log σ(2·ln 2 − 0.5) = −log σ(0.88629436) = 0.34513483. Pair 2: −log σ(−0.5) = 0.97407698. Sum: 1.31921181.
    const params = { beta: 2, label_smoothing: 0, simpo_gamma: 0.5 };
    const { loss, metrics } = await run(cpoTask(fixedModel, CPO_LOSSES.simpo, params, 0, 0));
    expect(loss).toBeCloseTo(1.31921181, 5);
    expect(metrics.reward_margin).toBeCloseTo(2 * Math.LN2, 5); // β·h̄ on pair 1, 0 on pair 2 (eq. 4's rewards)
    // With cpo_alpha = 1 the chosen NLL per token is added: + 0.91629073 + 1.60943791.
    const withNll = await run(cpoTask(fixedModel, CPO_LOSSES.simpo, params, 1, 0));
    expect(withNll.loss).toBeCloseTo(1.31921181 + 0.91629073 + 1.60943791, 5);
  });

  it('units are pairs and tokens count both sequences of each pair', () => {
    expect(orpoTask(fixedModel, 0.1, 0).measure(PAIRS)).toEqual({ units: 2, tokens: 2 * 1 + 2 + 3 + (2 * 1 + 1 + 1) });
  });
});
