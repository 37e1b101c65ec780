import {
  canonicalJson,
  describeArgument,
  InvalidArgumentError,
  type LogRecord,
  Random,
  requireModel,
  requireRecords,
  sha256Hex,
  type TrainingProgress,
} from '@rlhf/core';
import type { CPOResult, ORPOResult } from '@rlhf/cpo';
import { type DPOResult, DPOTrainer, type PreferenceData } from '@rlhf/dpo';
import type { OnlineResult } from '@rlhf/grpo';
import type { KTOResult } from '@rlhf/kto';
import {
  adaptedLayers,
  applyLora,
  type CausalLM,
  collectWeights,
  createRewardModel,
  type LoraConfig,
  loadWeights,
  type RewardScoringModel,
} from '@rlhf/models';
import { getScoreNormalization, RewardModel, type RewardTrainResult, setScoreNormalization } from '@rlhf/reward';
import { type RecordSource, type SFTRecord, type SFTResult, SFTTrainer } from '@rlhf/sft';
import { compareResponses, type EvaluationResult, generateResponseSet } from './evaluation.js';
import { openRunFolder } from './open-run-folder.js';
import { openStageStore } from './open-stage-store.js';
import { type PipelineOptions, type RLHFPipelineConfig, resolvePipelineConfig } from './pipeline-config.js';
import { RL_STAGE_RUNNERS, type RlStageResult, type RlStageRunner } from './rl-stage-runners.js';
import type { StageName, StageStore } from './stage-store.js';

/** Progress of a pipeline run, for progress bars and logs. */
export type PipelineEvent =
  | {
      /** A stage begins. */
      type: 'stage_start';
      /** Which stage. */
      stage: StageName | 'evaluation';
    }
  | {
      /** A stage finished (and, with a stage storage, was stored). */
      type: 'stage_end';
      /** Which stage. */
      stage: StageName | 'evaluation';
    }
  | {
      /** A stored stage was loaded instead of run (`resume`). */
      type: 'stage_restored';
      /** Which stage. */
      stage: StageName;
    }
  | {
      /** A trainer logged a record. */
      type: 'log';
      /** The stage whose trainer logged it. */
      stage: StageName;
      /** The record, as the trainer's callback receives it. */
      record: LogRecord;
      /** Optimizer steps the stage's run is planned for (the record's `step` counts towards it). */
      total_steps: number;
    };

/**
 * Called with each stage's trained model once the stage is finished (or restored by `resume`), before the
 * next stage changes it — where the CLI writes `sft/`, `reward_model/` and `policy/`. Awaited.
 */
export type StageModelHook = (stage: StageName, model: CausalLM | RewardScoringModel) => Promise<void> | void;

/**
 * Where each stage's result goes in {@link PipelineResults} (the specification names DPO's `rlhf`; an
 * online RL stage's goes to `online`).
 */
const RESULT_KEY = { sft: 'sft', reward: 'reward', dpo: 'rlhf' } as const satisfies Record<
  StageName,
  keyof PipelineResults
>;

/** Every stage's result (`lay_ket_qua`, "get the results"). */
export interface PipelineResults {
  /** The SFT stage's `huan_luyen` result (`null` until it has run). */
  sft: SFTResult | null;
  /** The reward stage's `huan_luyen` result. */
  reward: RewardTrainResult | null;
  /** The DPO stage's `huan_luyen` result. */
  rlhf: DPOResult | null;
  /** The online RL stage's `huan_luyen` result (`rlhf_method` `'grpo'` or `'rloo'`; absent with DPO). */
  online?: OnlineResult | null;
  /** The RL stage's `huan_luyen` result with `rlhf_method` `'kto'`, `'orpo'` or `'simpo'` (absent otherwise). */
  offline?: KTOResult | ORPOResult | CPOResult | null;
  /** The evaluation (`null` without `eval_prompts`). */
  evaluation: EvaluationResult | null;
}

/** `thong_ke()` of the pipeline: exactly the specification's keys. */
export interface PipelineStats {
  /** The SFT stage has finished (or was restored). */
  sft_done: boolean;
  /** The reward stage has finished (or was restored). */
  reward_done: boolean;
  /** The RL stage (DPO, or the online method of `rlhf_method`) has finished (or was restored). */
  rlhf_done: boolean;
  /** `SFTTrainer.thong_ke()` (as stored, for a restored stage). */
  sft_trainer: Record<string, unknown>;
  /** The RL stage trainer's `thong_ke()` (`DPOTrainer`'s; an online method's carries `rlhf_method`; as stored, for a restored stage). */
  dpo_trainer: Record<string, unknown>;
  /** `RewardModel.thong_ke()` (as stored, for a restored stage). */
  reward_model: Record<string, unknown>;
}

/**
 * The specification's `RLHFPipeline`: SFT → reward model → DPO → evaluation, with every finished stage stored
 * atomically (under `output_dir` or `stage_storage`) so that `resume: true` continues from the last
 * finished stage with the same results as an unbroken run.
 *
 * @example
 * ```ts
 * const pipeline = new RLHFPipeline({ sft_config: { so_vong: 1 }, dpo_config: { beta: 0.1 }, output_dir: 'runs/x' });
 * await pipeline.chay_day_du(policy, reference, null, sftRecords, preferencePairs);
 * console.log(pipeline.thong_ke().rlhf_done, pipeline.lay_ket_qua().evaluation?.win_rate);
 * ```
 */
export class RLHFPipeline {
  private readonly options: PipelineOptions;
  private readonly sftTrainer: SFTTrainer;
  private readonly dpoTrainer: DPOTrainer;
  private readonly rewardTrainer: RewardModel;
  private readonly rlRunner: RlStageRunner;
  private readonly results: PipelineResults = { sft: null, reward: null, rlhf: null, evaluation: null };
  private readonly restoredStats: Partial<Record<StageName, Record<string, unknown>>> = {};
  private store: StageStore | null | undefined;

  /** Validates every option (the trainers validate their own configs) before anything runs. */
  constructor(
    config: RLHFPipelineConfig = {},
    /** Receives stage and log events (progress bars, JSONL logs). */
    private readonly onEvent: (event: PipelineEvent) => void = () => {},
    /** Receives each finished (or restored) stage's model in `chay_day_du`, e.g. to save it. */
    private readonly onStageModel: StageModelHook | null = null,
  ) {
    if (typeof onEvent !== 'function')
      throw new InvalidArgumentError('RLHFPipeline', 'onEvent', describeArgument(onEvent), 'must be a function');
    this.options = resolvePipelineConfig(config);
    this.sftTrainer = new SFTTrainer(this.options.sft_config);
    this.dpoTrainer = new DPOTrainer(this.options.dpo_config);
    this.rewardTrainer = new RewardModel(this.options.reward_config);
    this.rlRunner = RL_STAGE_RUNNERS[this.options.rlhf_method]({ options: this.options, dpoTrainer: this.dpoTrainer });
  }

  /** Stage 1 alone: supervised fine-tuning of `model` (stored when a stage storage is set). */
  async sft(
    model: CausalLM,
    du_lieu: RecordSource<SFTRecord>,
    du_lieu_val: RecordSource<SFTRecord> | null = null,
  ): Promise<SFTResult> {
    return this.runStage(
      'sft',
      model,
      () => this.sftTrainer.huan_luyen(model, du_lieu, du_lieu_val, null, this.logTo('sft')),
      () => ({ ...this.sftTrainer.thong_ke() }),
    );
  }

  /** Stage 3 alone: reward-model training (`so_vong` epochs), validated on `du_lieu_val` when given. */
  async train_reward_model(
    reward_model: RewardScoringModel,
    preference_data: PreferenceData,
    so_vong = 1,
    du_lieu_val: PreferenceData | null = null,
  ): Promise<RewardTrainResult> {
    return this.runStage(
      'reward',
      reward_model,
      () => this.rewardTrainer.huan_luyen(reward_model, preference_data, so_vong, this.logTo('reward'), du_lieu_val),
      () => ({ ...this.rewardTrainer.thong_ke() }),
      () => ({ score_normalization: getScoreNormalization(reward_model) ?? null }),
    );
  }

  /**
   * Stage 4 alone: DPO of `model` against `ref_model` (null: a frozen copy of `model`), validated on
   * `du_lieu_val` when given.
   */
  async rlhf(
    model: CausalLM,
    ref_model: CausalLM | null,
    preference_data: PreferenceData,
    du_lieu_val: PreferenceData | null = null,
  ): Promise<DPOResult> {
    return this.runStage(
      'dpo',
      model,
      () => this.dpoTrainer.huan_luyen(model, ref_model, preference_data, null, this.logTo('dpo'), du_lieu_val),
      () => ({ ...this.dpoTrainer.thong_ke() }),
      undefined,
      'rlhf',
    );
  }

  /**
   * The whole pipeline ("chạy đầy đủ", run everything): SFT of `model`; the SFT weights copied into
   * `ref_model` (unless `copy_sft_to_ref: false`); reward-model training (`reward_model` null: a scalar
   * head on a copy of the SFT model); DPO; then, with `eval_prompts`, responses of the SFT and DPO
   * policies scored by the reward model. With `resume`, stored stages are loaded instead of rerun.
   * `sft_val_data` (optional) validates the SFT stage after each epoch (`val_loss` in its history), and
   * `preference_val_data` (optional) the reward-model and DPO stages (their `kind: 'eval'` records).
   *
   * With `sft_config.lora`, every copy of the SFT policy (the reference, the reward model's backbone,
   * DPO's frozen copy) carries a copy of its adapters, so each computes exactly the SFT policy's function.
   *
   * With `output_dir` (Node), the folder is validated and locked for the run first, and `resume` is
   * refused when the config or the data (arrays, hashed) differ from the stored run's.
   */
  async chay_day_du(
    model: CausalLM,
    ref_model: CausalLM | null,
    reward_model: RewardScoringModel | null,
    sft_data: RecordSource<SFTRecord>,
    preference_data: PreferenceData,
    sft_val_data: RecordSource<SFTRecord> | null = null,
    preference_val_data: PreferenceData | null = null,
  ): Promise<PipelineResults> {
    // Every argument is checked before any stage runs (a wrong one would otherwise fail stages later).
    const method = 'RLHFPipeline.chay_day_du';
    requireModel(method, 'model', model);
    if (ref_model !== null && ref_model !== undefined) requireModel(method, 'ref_model', ref_model);
    if (reward_model !== null && reward_model !== undefined)
      requireModel(method, 'reward_model', reward_model, ['scoreBatch', 'parameters']);
    requireRecords(method, 'sft_data', sft_data);
    requireRecords(method, 'preference_data', preference_data);
    if (sft_val_data !== null && sft_val_data !== undefined) requireRecords(method, 'sft_val_data', sft_val_data);
    if (preference_val_data !== null && preference_val_data !== undefined)
      requireRecords(method, 'preference_val_data', preference_val_data);
    const folder = await openRunFolder(
      this.options,
      await this.fingerprint(sft_data, preference_data, sft_val_data, preference_val_data),
    );
    try {
      const results = await this.runAll(model, ref_model, reward_model, sft_data, preference_data, sft_val_data, {
        preference_val_data: preference_val_data ?? null,
      });
      await folder?.finish();
      return results;
    } catch (error) {
      await folder?.abandon().catch(() => {});
      throw error;
    } finally {
      folder?.release();
    }
  }

  /**
   * SHA-256 of the normalised options (everything but where and how the run is stored) and of each data
   * set given as an array, for `resume`'s check.
   */
  private async fingerprint(
    sft_data: unknown,
    preference_data: unknown,
    sft_val_data: unknown,
    preference_val_data: unknown,
  ): Promise<Record<string, string>> {
    const o = this.options;
    const hash = async (value: unknown) => {
      try {
        return await sha256Hex(canonicalJson(value));
      } catch {
        return 'unhashable';
      }
    };
    const out: Record<string, string> = {
      config: await hash({
        sft_config: o.sft_config,
        reward_config: o.reward_config,
        dpo_config: o.dpo_config,
        copy_sft_to_ref: o.copy_sft_to_ref,
        eval_prompts: o.eval_prompts,
        eval_generation: o.eval_generation,
        // Only a non-default method enters the hash, so runs stored before it existed still resume.
        ...(o.rlhf_method === 'dpo'
          ? {}
          : { rlhf_method: o.rlhf_method, [`${o.rlhf_method}_config`]: o[`${o.rlhf_method}_config`] }),
      }),
    };
    if (Array.isArray(sft_data)) out.sft_data = await hash(sft_data);
    if (Array.isArray(preference_data)) out.preference_data = await hash(preference_data);
    if (Array.isArray(sft_val_data)) out.sft_val_data = await hash(sft_val_data);
    if (Array.isArray(preference_val_data)) out.preference_val_data = await hash(preference_val_data);
    return out;
  }

  private async runAll(
    model: CausalLM,
    ref_model: CausalLM | null,
    reward_model: RewardScoringModel | null,
    sft_data: RecordSource<SFTRecord>,
    preference_data: PreferenceData,
    sft_val_data: RecordSource<SFTRecord> | null,
    { preference_val_data }: { preference_val_data: PreferenceData | null },
  ): Promise<PipelineResults> {
    if (!(await this.restore('sft', model))) await this.sft(model, sft_data, sft_val_data);
    await this.onStageModel?.('sft', model);
    if (ref_model && this.options.copy_sft_to_ref) ref_model.copyParametersFrom(model);
    const rm = reward_model ?? createRewardModel(model, new Random(this.rewardTrainer.options.seed));
    if (!(await this.restore('reward', rm)))
      await this.train_reward_model(rm, preference_data, this.rewardTrainer.options.so_vong, preference_val_data);
    await this.onStageModel?.('reward', rm);
    const prompts = this.options.eval_prompts;
    const before = prompts ? await generateResponseSet(model, prompts, this.options.eval_generation) : null;
    if (!(await this.restore('dpo', model))) {
      await this.rlStage(model, ref_model, rm, preference_data, preference_val_data);
    }
    await this.onStageModel?.('dpo', model);
    if (prompts && before) {
      this.onEvent({ type: 'stage_start', stage: 'evaluation' });
      const after = await generateResponseSet(model, prompts, this.options.eval_generation);
      this.results.evaluation = await compareResponses(
        prompts,
        before.texts,
        after.texts,
        this.options.eval_generation.samples_per_prompt,
        async (texts) => (await this.rewardTrainer.diem_danh_gia(rm, texts)).map((r) => r.score),
        { before: before.cut, after: after.cut },
      );
      this.onEvent({ type: 'stage_end', stage: 'evaluation' });
    }
    return this.lay_ket_qua();
  }

  /** The RL stage by `rlhf_method` (DPO: the same as {@link RLHFPipeline.rlhf}). */
  private async rlStage(
    model: CausalLM,
    ref_model: CausalLM | null,
    reward_model: RewardScoringModel,
    preference_data: PreferenceData,
    preference_val_data: PreferenceData | null,
  ): Promise<RlStageResult> {
    const runner = this.rlRunner;
    return this.runStage(
      'dpo',
      model,
      () =>
        runner.run({ model, ref_model, reward_model, preference_data, preference_val_data, log: this.logTo('dpo') }),
      () => runner.stats(),
    );
  }

  /** Every stage's result so far ("lấy kết quả", get the results). */
  lay_ket_qua(): PipelineResults {
    return { ...this.results };
  }

  /** Which stages are done and each trainer's statistics ("thống kê"): exactly the specification's keys. */
  thong_ke(): PipelineStats {
    return {
      sft_done: this.results.sft !== null,
      reward_done: this.results.reward !== null,
      rlhf_done:
        this.results.rlhf !== null || (this.results.online ?? null) !== null || (this.results.offline ?? null) !== null,
      sft_trainer: this.restoredStats.sft ?? { ...this.sftTrainer.thong_ke() },
      dpo_trainer: this.restoredStats.dpo ?? this.rlRunner.stats(),
      reward_model: this.restoredStats.reward ?? { ...this.rewardTrainer.thong_ke() },
    };
  }

  private logTo(stage: StageName): (record: LogRecord, progress: Readonly<TrainingProgress>) => void {
    return (record, progress) => this.onEvent({ type: 'log', stage, record, total_steps: progress.total_steps });
  }

  private async stageStore(): Promise<StageStore | null> {
    if (this.store === undefined) this.store = await openStageStore(this.options);
    return this.store;
  }

  /**
   * Runs one stage: announces it, trains, records the result, stores the stage (weights, result, the
   * trainer's statistics and `extra`) when a stage storage is set, and announces the end.
   */
  private async runStage<R extends object>(
    stage: StageName,
    model: CausalLM | RewardScoringModel,
    train: () => Promise<R>,
    stats: () => Record<string, unknown>,
    extra: () => Record<string, unknown> = () => ({}),
    key: keyof PipelineResults = this.resultKey(stage),
  ): Promise<R> {
    this.onEvent({ type: 'stage_start', stage });
    const result = await train();
    (this.results as unknown as Record<string, unknown>)[key] = result;
    const store = await this.stageStore();
    if (store) {
      await store.save(stage, {
        weights: await collectWeights(model),
        result: { ...result } as Record<string, unknown>,
        stats: stats(),
        extra: extra(),
      });
    }
    this.onEvent({ type: 'stage_end', stage });
    return result;
  }

  /** The results key of a stage: the RL stage's depends on `rlhf_method`. */
  private resultKey(stage: StageName): keyof PipelineResults {
    return stage === 'dpo' ? this.rlRunner.resultKey : RESULT_KEY[stage];
  }

  /** Loads a stored stage into `model` when resuming; false when the stage must run. */
  private async restore(stage: StageName, model: CausalLM | RewardScoringModel): Promise<boolean> {
    if (!this.options.resume) return false;
    const store = await this.stageStore();
    if (!store || !(await store.has(stage))) return false;
    const artifact = await store.load(stage);
    // A LoRA stage was stored with its adapters: give the model the same structure first (as the trainers do).
    const sftLora = this.options.sft_config.lora;
    // The RL stage (stored under 'dpo' whatever its method) trained the adapters of its method's config.
    const rlConfig = this.options[`${this.options.rlhf_method}_config`] as { lora?: LoraConfig | null };
    const rlLora = rlConfig.lora;
    if (stage === 'sft' && sftLora && adaptedLayers(model).size === 0) applyLora(model, sftLora, new Random(0));
    if (stage === 'dpo' && rlLora) applyLora(model, rlLora, new Random(0), { existingAdapters: 'merge' });
    loadWeights(model, artifact.weights, `stage-${stage}/model.safetensors`);
    const norm = artifact.extra?.score_normalization;
    if (stage === 'reward' && norm) setScoreNormalization(model, norm as Parameters<typeof setScoreNormalization>[1]);
    (this.results as unknown as Record<string, unknown>)[this.resultKey(stage)] = artifact.result;
    this.restoredStats[stage] = artifact.stats;
    this.onEvent({ type: 'stage_restored', stage });
    return true;
  }
}
