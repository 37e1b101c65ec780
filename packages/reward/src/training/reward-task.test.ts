import { createJsBackend } from '@rlhf/backend-js';
import { noGrad, Random, type TaskMetric, type Tensor, tensor, tidy } from '@rlhf/core';
import { createRewardModel } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { loadStories260K } from '../__fixtures__/stories260k.js';
import { scoreTokenIds } from '../scoring/score-token-ids.js';
import { rewardTask } from './reward-task.js';

const backend = createJsBackend();

// A fixed tiny batch of token-id pairs (different lengths, so padding is exercised), with margins.
const items = [
  { chosen: [1, 403, 407, 261, 378, 2], rejected: [1, 403, 2], margin: 0.5 },
  { chosen: [1, 300, 2], rejected: [1, 301, 302, 303, 304, 305, 306, 2], margin: 0 },
  { chosen: [1, 42, 43, 2], rejected: [1, 44, 45, 2], margin: -0.25 },
];

const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

describe('rewardTask on stories260K + scalar head, a fixed tiny batch', () => {
  const rm = createRewardModel(loadStories260K(backend), new Random(7));
  const lambda = 0.05;

  /** Σᵢ −log σ(r_c − r_r − m) + λ(r_c + r_r)² from rewards scored independently, one sequence at a time. */
  async function handLoss(): Promise<number> {
    const rc = await Promise.all(items.map(async (p) => (await scoreTokenIds(rm, [p.chosen]))[0] as number));
    const rr = await Promise.all(items.map(async (p) => (await scoreTokenIds(rm, [p.rejected]))[0] as number));
    return items.reduce(
      (a, p, i) =>
        a +
        softplus(-((rc[i] as number) - (rr[i] as number) - p.margin)) +
        lambda * ((rc[i] as number) + (rr[i] as number)) ** 2,
      0,
    );
  }

  it('the summed loss equals Σ −log σ(r_c − r_r − m) + λ(r_c + r_r)² by hand; metrics are sums over pairs', async () => {
    const task = rewardTask(rm, { centerRewardsCoefficient: lambda });
    expect(task.measure(items)).toEqual({ units: 3, tokens: 6 + 3 + 3 + 8 + 4 + 4 });
    const out = tidy(() => noGrad(() => task.loss(items)));
    const loss = await out.loss.item();
    expect(Math.abs(loss - (await handLoss()))).toBeLessThan(1e-5);
    const rc = await scoreTokenIds(
      rm,
      items.map((p) => p.chosen),
    );
    const rr = await scoreTokenIds(
      rm,
      items.map((p) => p.rejected),
    );
    const m = out.metrics as Record<string, Tensor>;
    expect(await m.accuracy?.item()).toBe(items.filter((_, i) => (rc[i] as number) > (rr[i] as number)).length);
    expect(await m.chosen_rewards?.item()).toBeCloseTo(
      rc.reduce((a, b) => a + b),
      5,
    );
    expect(await m.reward_margin?.item()).toBeCloseTo(rc.reduce((a, b) => a + b) - rr.reduce((a, b) => a + b), 5);
  });

  it('the gradient w.r.t. the head and a backbone weight matches central differences of the hand loss', async () => {
    const task = rewardTask(rm, { centerRewardsCoefficient: lambda });
    rm.zeroGrad();
    tidy(() => task.loss(items).loss.backward());
    const params = new Map(rm.namedParameters());
    for (const [name, indices] of [
      ['score.weight', [0, 17, 63]],
      ['model.norm.weight', [3, 40]],
      ['model.layers.4.mlp.down_proj.weight', [5, 999]],
    ] as const) {
      const p = params.get(name) as Tensor;
      const grad = (p.grad as Tensor).dataSync();
      const values = Float32Array.from(p.dataSync());
      for (const i of indices) {
        const h = 1e-2;
        const at = async (v: number) => {
          const next = Float32Array.from(values);
          next[i] = v;
          p.assign(tensor(p.backend, next, p.shape));
          return handLoss();
        };
        const up = await at((values[i] as number) + h);
        const down = await at((values[i] as number) - h);
        await at(values[i] as number);
        const fd = (up - down) / (2 * h);
        expect(Math.abs((grad[i] as number) - fd), `${name}[${i}]: ${grad[i]} vs ${fd}`).toBeLessThan(
          2e-3 * Math.max(1, Math.abs(fd)),
        );
      }
    }
    rm.zeroGrad();
  });

  it('reward_min / reward_max are the extremes of all 2B rewards, declared with min / max reductions', async () => {
    const task = rewardTask(rm, { centerRewardsCoefficient: 0 });
    const out = tidy(() => noGrad(() => task.loss(items)));
    const all = [
      ...(await scoreTokenIds(
        rm,
        items.map((p) => p.chosen),
      )),
      ...(await scoreTokenIds(
        rm,
        items.map((p) => p.rejected),
      )),
    ];
    const m = out.metrics as Record<string, TaskMetric>;
    expect(m.reward_min?.reduce).toBe('min');
    expect(m.reward_max?.reduce).toBe('max');
    expect(await m.reward_min?.value.item()).toBeCloseTo(Math.min(...all), 5);
    expect(await m.reward_max?.value.item()).toBeCloseTo(Math.max(...all), 5);
  });
});
