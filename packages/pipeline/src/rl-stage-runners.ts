import { type LogRecord, TrainingDataError, type TrainingProgress } from '@rlhf/core';
import { type CPOResult, CPOTrainer, type ORPOResult, ORPOTrainer } from '@rlhf/cpo';
import type { DPOResult, DPOTrainer, PreferenceData } from '@rlhf/dpo';
import { GRPOTrainer, type OnlineResult, RLOOTrainer, rewardModelReward } from '@rlhf/grpo';
import { type KTOResult, KTOTrainer, unpairPreferenceData } from '@rlhf/kto';
import type { CausalLM, RewardScoringModel } from '@rlhf/models';
import type { PipelineOptions } from './pipeline-config.js';

/** The methods the pipeline's RL stage can use (`rlhf_method`). */
export const RLHF_METHODS = ['dpo', 'grpo', 'rloo', 'kto', 'orpo', 'simpo'] as const;

/** One of {@link RLHF_METHODS}. */
export type RlhfMethod = (typeof RLHF_METHODS)[number];

/** What the RL stage gets from the pipeline. */
export interface RlStageInput {
  /** The policy (the SFT model), trained in place. */
  model: CausalLM;
  /** The frozen reference (the SFT copy), or `null` for a frozen copy of `model`. */
  ref_model: CausalLM | null;
  /** The pipeline's trained reward model. */
  reward_model: RewardScoringModel;
  /** The preference data (DPO trains on it; online methods take their prompts from it). */
  preference_data: PreferenceData;
  /** Held-out preference pairs (DPO's validation curves), or `null`. */
  preference_val_data: PreferenceData | null;
  /** Forwards the trainer's records as pipeline events. */
  log: (record: LogRecord, progress: Readonly<TrainingProgress>) => void;
}

/** One RL-stage method: how it trains and where its result and statistics go. */
export interface RlStageRunner {
  /** The method. */
  readonly method: RlhfMethod;
  /** Which key of the pipeline's results holds the stage's result. */
  readonly resultKey: 'rlhf' | 'online' | 'offline';
  /** Trains the policy. */
  run(input: RlStageInput): Promise<RlStageResult>;
  /** The trainer's `thong_ke()`, with the method. */
  stats(): Record<string, unknown>;
}

/** The `huan_luyen` result of an RL-stage trainer. */
export type RlStageResult = DPOResult | OnlineResult | KTOResult | ORPOResult | CPOResult;

/** What a runner factory is given: the resolved options and the pipeline's own DPO trainer. */
export interface RlStageSetup {
  /** The pipeline's resolved options. */
  options: PipelineOptions;
  /** The pipeline's DPO trainer (the `rlhf()` stage method's). */
  dpoTrainer: DPOTrainer;
}

/**
 * The distinct prompt strings of preference data (records with a string `prompt`), in first-seen order:
 * the prompts an online RL stage samples from. A data set without any is a {@link TrainingDataError}.
 *
 * @example
 * ```ts
 * await promptsOf([{ prompt: 'Hi', chosen: 'a', rejected: 'b' }]); // ['Hi']
 * ```
 */
export async function promptsOf(data: PreferenceData): Promise<string[]> {
  const seen = new Set<string>();
  for await (const record of data as AsyncIterable<unknown>) {
    const prompt = (record as { prompt?: unknown } | null)?.prompt;
    if (typeof prompt === 'string' && prompt.length > 0) seen.add(prompt);
  }
  if (seen.size === 0)
    throw new TrainingDataError(
      'preference_data',
      null,
      'prompt',
      'has no text prompts for an online rlhf_method (grpo, rloo)',
    );
  return [...seen];
}

function onlineRunner(method: RlhfMethod, t: GRPOTrainer | RLOOTrainer): RlStageRunner {
  return {
    method,
    resultKey: 'online',
    // The reward is the pipeline's trained reward model; the SFT policy is the start and the reference.
    run: async (i) =>
      t.huan_luyen(
        i.model,
        i.ref_model,
        await promptsOf(i.preference_data),
        [rewardModelReward(i.reward_model)],
        null,
        i.log,
      ),
    stats: () => ({ rlhf_method: method, ...t.thong_ke() }),
  };
}

/** Preference data as an array (a data set given as an (async) iterable is read once). */
async function recordsOf(data: PreferenceData): Promise<unknown[]> {
  if (Array.isArray(data)) return data;
  const out: unknown[] = [];
  for await (const record of data as AsyncIterable<unknown>) out.push(record);
  return out;
}

/**
 * The RL stage's methods by `rlhf_method`: one entry per method, so a new method (KTO, ORPO, SimPO, …) is
 * one more entry. `dpo` is the specification's stage (offline, on the preference pairs); `grpo` and `rloo`
 * are online, rewarded by the pipeline's trained reward model; `kto` trains on the pairs unpaired (each pair
 * → one desirable and one undesirable example, TRL's `unpair_preference_dataset`) against the frozen SFT
 * copy; `orpo` and `simpo` (`CPOTrainer` with `loss_type: 'simpo'`, `cpo_alpha: 0`, as TRL defines SimPO)
 * train on the pairs without a reference model.
 *
 * @example
 * ```ts
 * const runner = RL_STAGE_RUNNERS.grpo({ options, dpoTrainer });
 * await runner.run({ model, ref_model, reward_model, preference_data, preference_val_data: null, log: () => {} });
 * ```
 */
export const RL_STAGE_RUNNERS: Record<RlhfMethod, (setup: RlStageSetup) => RlStageRunner> = {
  dpo: ({ dpoTrainer }) => ({
    method: 'dpo',
    resultKey: 'rlhf',
    run: (i) => dpoTrainer.huan_luyen(i.model, i.ref_model, i.preference_data, null, i.log, i.preference_val_data),
    stats: () => ({ ...dpoTrainer.thong_ke() }),
  }),
  grpo: ({ options }) => onlineRunner('grpo', new GRPOTrainer(options.grpo_config)),
  rloo: ({ options }) => onlineRunner('rloo', new RLOOTrainer(options.rloo_config)),
  kto: ({ options }) => {
    const t = new KTOTrainer(options.kto_config);
    return {
      method: 'kto',
      resultKey: 'offline',
      run: async (i) =>
        t.huan_luyen(i.model, i.ref_model, unpairPreferenceData(await recordsOf(i.preference_data)), null, i.log),
      stats: () => ({ rlhf_method: 'kto', ...t.thong_ke() }),
    };
  },
  orpo: ({ options }) => {
    const t = new ORPOTrainer(options.orpo_config);
    return {
      method: 'orpo',
      resultKey: 'offline',
      run: (i) => t.huan_luyen(i.model, i.preference_data, null, i.log),
      stats: () => ({ rlhf_method: 'orpo', ...t.thong_ke() }),
    };
  },
  simpo: ({ options }) => {
    const t = new CPOTrainer({ loss_type: 'simpo', cpo_alpha: 0, ...options.simpo_config });
    return {
      method: 'simpo',
      resultKey: 'offline',
      run: (i) => t.huan_luyen(i.model, i.preference_data, null, i.log),
      stats: () => ({ rlhf_method: 'simpo', ...t.thong_ke() }),
    };
  },
};
