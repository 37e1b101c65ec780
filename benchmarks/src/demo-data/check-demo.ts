/**
 * Evidence that the English demo bundle teaches what it should: runs SFT → reward model → DPO on stories260K
 * (backend-js) as `RLHFPipeline.chay_day_du` does, with `data/demo/en/pipeline.json`, and prints the reward
 * model's held-out accuracy, DPO's reward margin and accuracy (last training window and held-out pairs) and,
 * for responses to the held-out evaluation prompts from the pretrained model, the SFT policy (before DPO)
 * and the DPO policy (after), the mean reward-model score, the win rate of DPO over SFT and the rate of the
 * variant's property by its plain rule; then wall and CPU time per stage.
 *
 * Usage (from the repository root, after `pnpm exec tsc -b benchmarks`):
 *
 * ```sh
 * node benchmarks/dist/demo-data/check-demo.js [en] [--per-prompt N] [--override '{"dpo_config":{"beta":0.2}}']
 *   [--dpo-sweep '[{"toc_do_hoc":3e-4},{"toc_do_hoc":1e-3}]'] [--dump responses.json] [--json]
 * ```
 *
 * `--override` merges into the config (one level deep per key); `--dpo-sweep` trains DPO once per entry
 * (each merged into `dpo_config`), every time from the same SFT weights against the same reward model;
 * `--dump` writes every generated response. The Vietnamese demo (its own model) is checked by
 * `packages/cli/src/vi-demo/vi-demo-rule.test.ts`, which runs `rlhf demo --vi`.
 */
import { createJsBackend } from '@rlhf/backend-js';
import { Random } from '@rlhf/core';
import { DPOTrainer } from '@rlhf/dpo';
import { createRewardModel } from '@rlhf/models';
import { RewardModel } from '@rlhf/reward';
import { SFTTrainer } from '@rlhf/sft';
import type { DemoPipelineConfig } from './demo-config.js';
import { demoProperty } from './demo-property.js';
import type { PreferenceRecord, SFTRecord } from './demo-records.js';
import { implicitRewardStats } from './dpo-heldout-accuracy.js';
import { readJson, readJsonl, writeJson } from './jsonl.js';
import { type DemoVariant, demoDir, repoPath } from './paths.js';
import { type SampledResponse, sampleResponses } from './sample-responses.js';
import { loadStories260K } from './stories-model.js';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
const round = (x: number, digits = 4): number => Number(x.toFixed(digits));

/** The config of a variant with `--override` merged in. */
function loadConfig(variant: DemoVariant): DemoPipelineConfig {
  const config = readJson<DemoPipelineConfig>(repoPath(`${demoDir(variant)}/pipeline.json`));
  const override = JSON.parse(flag('--override') ?? '{}') as Record<string, unknown>;
  const merged = { ...config } as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] =
      typeof value === 'object' && value !== null && typeof current === 'object' && current !== null
        ? { ...current, ...value }
        : value;
  }
  return merged as unknown as DemoPipelineConfig;
}

async function main(): Promise<void> {
  if (process.argv.slice(2).includes('vi'))
    throw new Error('the Vietnamese demo is checked by packages/cli/src/vi-demo/vi-demo-rule.test.ts');
  const variant: DemoVariant = 'en';
  const started = performance.now();
  const log = (line: string) => console.error(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${line}`);
  const config = loadConfig(variant);
  const sft = readJsonl<SFTRecord>(repoPath(config.sft_data));
  const preferences = readJsonl<PreferenceRecord>(repoPath(config.preference_data));
  const preferencesVal = readJsonl<PreferenceRecord>(repoPath(`${demoDir(variant)}/preferences_val.jsonl`));
  const prompts = readJson<string[]>(repoPath(config.eval_prompts));
  const property = demoProperty(variant);
  const generation = {
    ...config.generation,
    samples_per_prompt: Number(flag('--per-prompt') ?? config.generation.samples_per_prompt),
  };
  const sweep = JSON.parse(flag('--dpo-sweep') ?? '[{}]') as Record<string, unknown>[];

  const backend = createJsBackend();
  const policy = loadStories260K(backend);
  const tok = policy.tokenizer;
  const times: Record<string, number> = {};
  const cpuTimes: Record<string, number> = {};
  const timed = async <T>(stage: string, run: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const cpu = process.cpuUsage();
    const value = await run();
    times[stage] = round((performance.now() - t) / 1000, 1);
    const used = process.cpuUsage(cpu);
    cpuTimes[stage] = round((used.user + used.system) / 1e6, 1);
    log(`${stage} done in ${times[stage]} s (${cpuTimes[stage]} s of CPU)`);
    return value;
  };
  const rate = (rs: SampledResponse[]) => round(rs.filter((r) => property.has(r.response)).length / rs.length);
  const tokens = (rs: SampledResponse[]) =>
    round(mean(rs.map((r) => tok.encode(r.response, { addSpecialTokens: false }).length)), 1);
  const base = await timed('sample_pretrained', () => sampleResponses(policy, prompts, generation));

  // 1. SFT
  const sftTrainer = new SFTTrainer(config.sft_config);
  const sftResult = await timed('sft', () => sftTrainer.huan_luyen(policy, sft));
  // 2. the reference is the SFT model
  const reference = loadStories260K(backend);
  reference.copyParametersFrom(policy);
  // 3. reward model: a scalar head on a copy of the SFT model (RLHFPipeline's default)
  const rewardTrainer = new RewardModel(config.reward_config);
  const rm = createRewardModel(policy, new Random(Number(config.reward_config.seed ?? 42)));
  const rewardResult = await timed('reward', () =>
    rewardTrainer.huan_luyen(rm, preferences, Number(config.reward_config.so_vong ?? 1)),
  );
  const rewardVal = await rewardTrainer.danh_gia(rm, preferencesVal);
  const score = async (rs: SampledResponse[]) =>
    (
      await rewardTrainer.diem_danh_gia(
        rm,
        rs.map((r) => r.text),
      )
    ).map((s) => s.score);
  const before = await timed('sample_sft', () => sampleResponses(policy, prompts, generation));
  const [sBase, sBefore] = [await score(base), await score(before)];

  // 4. DPO (once per sweep entry, from the SFT weights) and 5. the evaluation
  const runs = [];
  const afterByRun: SampledResponse[][] = [];
  for (const [k, extra] of sweep.entries()) {
    if (k > 0) policy.copyParametersFrom(reference);
    const dpoConfig = { ...config.dpo_config, ...extra } as Record<string, number>;
    const dpoTrainer = new DPOTrainer(dpoConfig);
    const dpoResult = await timed(`dpo_${k}`, () => dpoTrainer.huan_luyen(policy, reference, preferences));
    const dpoVal = await implicitRewardStats(
      policy,
      reference,
      preferencesVal,
      dpoConfig.beta ?? 0.1,
      dpoConfig.max_seq_length ?? 512,
    );
    const after = await timed(`sample_dpo_${k}`, () => sampleResponses(policy, prompts, generation));
    const sAfter = await score(after);
    afterByRun.push(after);
    const wins = sAfter.map((s, i) => (s > (sBefore[i] as number) ? 1 : s === sBefore[i] ? 0.5 : 0));
    runs.push({
      dpo_config: dpoConfig,
      dpo: {
        train_loss_first: round(dpoResult.history.train_loss[0] ?? Number.NaN),
        train_loss_min: round(dpoResult.train_loss_min),
        final_reward_margin: round(dpoResult.final_reward_margin),
        final_reward_accuracy: round(dpoResult.history.reward_accuracy.at(-1) ?? Number.NaN),
        heldout_reward_accuracy: round(dpoVal.accuracy),
        heldout_reward_margin: round(dpoVal.margin),
        steps: dpoResult.global_step,
      },
      evaluation: {
        property: property.name,
        rate: { pretrained: rate(base), sft: rate(before), dpo: rate(after) },
        mean_reward: { pretrained: round(mean(sBase)), sft: round(mean(sBefore)), dpo: round(mean(sAfter)) },
        win_rate_dpo_over_sft: round(mean(wins)),
        mean_response_tokens: { pretrained: tokens(base), sft: tokens(before), dpo: tokens(after) },
      },
      examples: [0, 1, 2, 3].map((i) => ({
        prompt: prompts[i],
        sft: before[i * generation.samples_per_prompt]?.response,
        dpo: after[i * generation.samples_per_prompt]?.response,
      })),
    });
  }

  const report = {
    variant,
    data: {
      sft: sft.length,
      preferences: preferences.length,
      preferences_val: preferencesVal.length,
      eval_prompts: prompts.length,
      samples_per_policy: before.length,
    },
    configs: { sft_config: config.sft_config, reward_config: config.reward_config, generation },
    sft: {
      train_loss_first: round(sftResult.history.train_loss[0] ?? Number.NaN),
      train_loss_min: round(sftResult.train_loss_min),
      steps: sftResult.global_step,
    },
    reward: {
      train_loss_min: round(rewardResult.train_loss_min),
      final_accuracy: round(rewardResult.final_accuracy),
      heldout_accuracy: round(rewardVal.accuracy),
      heldout_margin: round(rewardVal.reward_margin),
      steps: rewardResult.global_step,
    },
    runs,
    seconds: { ...times, total: round((performance.now() - started) / 1000, 1) },
    // Wall time depends on what else the machine runs; the CPU time of this single-threaded process does not.
    cpu_seconds: { ...cpuTimes, total: round((process.cpuUsage().user + process.cpuUsage().system) / 1e6, 1) },
  };
  console.log(JSON.stringify(report, null, process.argv.includes('--json') ? 0 : 2));
  const dump = flag('--dump');
  if (dump) writeJson(dump, { pretrained: base, sft: before, dpo: afterByRun });
}

await main();
