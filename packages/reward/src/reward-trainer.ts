import {
  BaseTrainer,
  ConfigError,
  type LogRecord,
  minOf,
  noGrad,
  Random,
  requireCallback,
  requireRecords,
  type TrainerCallback,
  type TrainerStats,
  type TrainingHistory,
  tensor,
  tidy,
} from '@rlhf/core';
import { type RewardScoringModel, safetensorsCodec } from '@rlhf/models';
import type { PreferenceData } from '@rlhf/preference-data';
import { type PreparedRewardPairs, prepareRewardPairs } from './data/prepare-reward-pairs.js';
import { rewardLoss } from './losses/reward-loss.js';
import { type RewardMetrics, rewardMetrics } from './metrics/reward-metrics.js';
import { getScoreNormalization, setScoreNormalization } from './normalization/score-normalization.js';
import { type ScoreStats, scoreStats } from './normalization/score-stats.js';
import { REWARD_OPTION_SPECS, type RewardConfig, type RewardOptions } from './reward-config.js';
import { asRewardScorer } from './scoring/as-reward-scorer.js';
import { maxPositions, type ScoredText, scoreTexts } from './scoring/score-texts.js';
import { scoreTokenIds } from './scoring/score-token-ids.js';
import { validateTexts } from './scoring/validate-texts.js';
import { rewardTask } from './training/reward-task.js';

/** Preference data: an array or (async) iterable of records in any layout `@rlhf/preference-data` accepts. */
export type RewardPreferenceData = PreferenceData;

/** The history columns of a reward-model run (one value per train record unless noted). */
export interface RewardHistory {
  /** Mean loss per pair over each logging window. */
  train_loss: number[];
  /** Share of pairs with r_c > r_r over each logging window. */
  accuracy: number[];
  /** Mean reward of the chosen texts. */
  chosen_rewards: number[];
  /** Mean reward of the rejected texts. */
  rejected_rewards: number[];
  /** Mean r_c − r_r. */
  reward_margin: number[];
  /** Mean of all rewards. */
  reward_mean: number[];
  /** Smallest reward (chosen or rejected) seen in the window. */
  reward_min: number[];
  /** Largest reward seen in the window. */
  reward_max: number[];
  /** Learning rate of the window's last step. */
  learning_rate: number[];
  /** Global gradient norm of the window's last step, before clipping. */
  grad_norm: number[];
  /** Step of each train entry. */
  step: number[];
  /** Validation loss after each epoch (with `du_lieu_val`). */
  val_loss: number[];
  /** Validation pairwise accuracy after each epoch (with `du_lieu_val`). */
  val_accuracy: number[];
  /** Step of each validation entry. */
  val_step: number[];
  /** Steps skipped in each train entry's window (only with `skip_nonfinite_steps`). */
  skipped_steps?: number[];
  /** Every record (train and eval), in the order they were made (as the callback received them). */
  records: LogRecord[];
}

/** What `huan_luyen` resolves to. */
export interface RewardTrainResult {
  /** Seconds (tổng thời gian), including recording μ, σ. */
  tong_thoi_gian: number;
  /** Whole epochs done (số epoch). */
  so_epoch: number;
  /** Optimizer steps done. */
  global_step: number;
  /** Smallest logged train loss (NaN when nothing was logged). */
  train_loss_min: number;
  /** Pairwise accuracy over the last logging window. */
  final_accuracy: number;
  /** Mean r_c − r_r over the last logging window. */
  final_reward_margin: number;
  /** Lowest validation loss (with `du_lieu_val`). */
  val_loss_min?: number;
  /** Validation accuracy after the last epoch (with `du_lieu_val`). */
  val_accuracy?: number;
  /** μ of the scores of all training texts (chosen and rejected) after training: `score_normalized`'s centre. */
  score_mean: number;
  /** σ of those scores: `score_normalized`'s unit. */
  score_std: number;
  /** Pairs cut to `max_seq_length`. */
  truncated_pairs: number;
  /** Every logged value, in columns (the same object `lay_lich_su()` returns). */
  history: RewardHistory;
}

/** What `thong_ke()` reports: the shared counters plus the reward model's own. */
export interface RewardStats extends TrainerStats {
  /** Training pairs of the last run. */
  pairs: number;
  /** Of those, pairs cut to `max_seq_length`. */
  truncated_pairs: number;
  /** Of those, pairs with `chosen == rejected` (same tokens: no preference signal). */
  identical_pairs: number;
  /** μ recorded at the end of the last `huan_luyen` (null before). */
  score_mean: number | null;
  /** σ recorded at the end of the last `huan_luyen` (null before). */
  score_std: number | null;
  /** Texts μ, σ were taken over (2 × pairs). */
  score_count: number;
  /** Pairwise accuracy over the last logging window (null before training). */
  final_accuracy: number | null;
  /** Mean r_c − r_r over the last logging window (null before training). */
  final_reward_margin: number | null;
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * The specification's reward model trainer (mô hình phần thưởng): trains a sequence scorer — a language-model
 * backbone with a scalar head on the last token, from `createRewardModel` in `@rlhf/models` — on preference
 * pairs with the Bradley–Terry loss `−log σ(r_chosen − r_rejected)` (Ouyang et al. 2022 eq. 1; optional
 * per-pair `margin` and `center_rewards_coefficient` as in TRL), using the shared trainer loop of
 * `@rlhf/core` (accumulation, clipping, warm-up + schedule, callbacks, history, checkpoints), and scores
 * texts (`diem_danh_gia`) with z-scores against the μ, σ of the training texts.
 *
 * @example
 * ```ts
 * const rm = createRewardModel(await loadModel('models/stories260K'), new Random(42));
 * const trainer = new RewardModel({ toc_do_hoc: 1e-5, seed: 42 });
 * const result = await trainer.huan_luyen(rm, [{ prompt: 'Q', chosen: ' good', rejected: ' bad' }], 1);
 * const scores = await trainer.diem_danh_gia(rm, ['Q good', 'Q bad']);
 * // [{ van_ban: 'Q good', score: 0.31, score_normalized: 0.9 }, ...]
 * trainer.thong_ke().score_mean;
 * ```
 */
export class RewardModel extends BaseTrainer<RewardOptions, RewardHistory> {
  private data = { pairs: 0, truncated: 0, identical: 0 };
  private stats: ScoreStats | null = null;

  /**
   * Validates the options (the specification's defaults fill the rest); a bad key or value throws `ConfigError`.
   *
   * @param options - the specification's `toc_do_hoc` (1e-5) and `seed` (42), the shared trainer options and the
   *   reward extras ({@link RewardConfig}); validated here (a `ConfigError` names a bad key).
   */
  constructor(options: RewardConfig = {}) {
    super('RewardModel', REWARD_OPTION_SPECS, options);
  }

  /**
   * Trains (huấn luyện) the reward model on preference pairs for `so_vong` epochs, then records μ, σ of
   * the scores of all training texts (chosen and rejected) on the model, so that `diem_danh_gia` and a
   * saved copy normalise with them.
   *
   * @param model - a reward model (scalar head); a plain causal LM throws `NotARewardModelError`.
   * @param preference_data - `{ prompt, chosen, rejected }` records (or ShareGPT / HH-RLHF / pre-tokenised
   *   ones, optionally with a numeric `margin`); text needs the model's tokenizer.
   * @param so_vong - epochs (số vòng); omitted: the `so_vong` option (default 1, the specification's).
   * @param callback - called with every logged record; returning `false` stops after the current step.
   * @param du_lieu_val - optional held-out pairs, evaluated (loss, accuracy) after each epoch.
   *
   * @example
   * ```ts
   * const result = await trainer.huan_luyen(rm, pairs, 1, (r) => console.log(r.step, r.loss));
   * result.final_accuracy; // pairwise accuracy of the last logging window
   * ```
   */
  async huan_luyen(
    model: RewardScoringModel,
    preference_data: RewardPreferenceData,
    so_vong?: number | null,
    callback?: TrainerCallback | null,
    du_lieu_val?: RewardPreferenceData | null,
  ): Promise<RewardTrainResult> {
    const started = now();
    const method = `${this.owner}.huan_luyen`;
    const rm = asRewardScorer(model);
    requireRecords(method, 'preference_data', preference_data);
    if (du_lieu_val !== null && du_lieu_val !== undefined) requireRecords(method, 'du_lieu_val', du_lieu_val);
    requireCallback(method, 'callback', callback);
    const epochs = so_vong ?? this.options.so_vong;
    if (!Number.isInteger(epochs) || epochs < 1) throw new ConfigError(this.owner, 'so_vong', epochs, 'an integer ≥ 1');
    const train = await this.prepare(rm, preference_data, 'preference_data');
    const val = du_lieu_val ? await this.prepare(rm, du_lieu_val, 'du_lieu_val') : null;
    this.data = { pairs: train.pairs.length, truncated: train.truncated, identical: train.identical };
    this.stats = null;

    // `huan_luyen`'s so_vong argument overrides the option for this run only (the options stay as resolved).
    await this.fit({
      model: rm,
      task: rewardTask(rm, { centerRewardsCoefficient: this.options.center_rewards_coefficient }),
      train: train.pairs,
      val: val?.pairs ?? null,
      callback: callback ?? null,
      codec: safetensorsCodec,
      rng: new Random(this.options.seed),
      so_vong: epochs,
    });

    // μ, σ of every training text's score under the trained model (api.md: score_normalized's reference).
    const texts = [...train.pairs.map((p) => p.chosen), ...train.pairs.map((p) => p.rejected)];
    this.stats = scoreStats(await scoreTokenIds(rm, texts, { batchSize: this.options.scoring_batch_size }));
    setScoreNormalization(rm, this.stats);
    this.runInfo.seconds = (now() - started) / 1000;
    return this.result();
  }

  /**
   * Scores texts (điểm đánh giá): for each text, in input order, `{ van_ban, score, score_normalized }`.
   * `score` is the scalar head on the last token of `BOS + text + EOS` (the layout training scores);
   * `score_normalized = (score − μ) / σ` with μ, σ of the training texts recorded by `huan_luyen` (or
   * loaded with a saved model), and for a model never trained here μ, σ of the given texts (σ = 0 → 0).
   * Forward only, batched (`scoring_batch_size`); texts longer than `max_seq_length` tokens are cut.
   *
   * @throws `NotARewardModelError` for a model without a scalar head; `RewardInputError` for an empty
   *   list or a non-string element (naming its index); `MissingTokenizerError` when the model has no
   *   tokenizer.
   *
   * @example
   * ```ts
   * const [a, b, c] = await trainer.diem_danh_gia(rm, ['one', 'two', 'three']);
   * ```
   */
  async diem_danh_gia(model: RewardScoringModel, cac_van_ban: readonly string[]): Promise<ScoredText[]> {
    const rm = asRewardScorer(model);
    const texts = validateTexts(cac_van_ban);
    const stats = getScoreNormalization(rm);
    const { records } = await scoreTexts(rm, texts, {
      batchSize: this.options.scoring_batch_size,
      maxLength: Math.min(this.options.max_seq_length, maxPositions(rm)),
      ...(stats ? { stats } : {}),
    });
    return records;
  }

  /**
   * Pairwise evaluation (đánh giá) on held-out preference pairs, forward only: loss, accuracy, mean chosen /
   * rejected reward, margin, and mean/min/max reward. Uses the same tokenisation and truncation as training.
   *
   * @example
   * ```ts
   * const { accuracy } = await trainer.danh_gia(rm, heldOutPairs); // 0.94
   * ```
   */
  async danh_gia(model: RewardScoringModel, preference_data: RewardPreferenceData): Promise<RewardMetrics> {
    const rm = asRewardScorer(model);
    const { pairs } = await this.prepare(rm, preference_data, 'preference_data');
    const batch = { batchSize: this.options.scoring_batch_size };
    const chosen = await scoreTokenIds(
      rm,
      pairs.map((p) => p.chosen),
      batch,
    );
    const rejected = await scoreTokenIds(
      rm,
      pairs.map((p) => p.rejected),
      batch,
    );
    // Per-pair losses with the training loss function itself, on the host's scores (forward only).
    const b = pairs.length;
    const losses = tidy(() =>
      noGrad(() =>
        rewardLoss({
          chosen: tensor(rm.backend, Float32Array.from(chosen), [b]),
          rejected: tensor(rm.backend, Float32Array.from(rejected), [b]),
          margin: tensor(
            rm.backend,
            Float32Array.from(pairs, (p) => p.margin),
            [b],
          ),
          centerRewardsCoefficient: this.options.center_rewards_coefficient,
        }),
      ),
    );
    const values = await losses.data();
    losses.dispose();
    return rewardMetrics(chosen, rejected, values);
  }

  /**
   * Statistics (thống kê): the shared counters (steps, epochs, tokens, time, parameters, checkpoints) plus
   * pairs, truncation, the μ, σ used for `score_normalized`, and the last window's accuracy and margin.
   * Zero / null before training.
   *
   * @example
   * ```ts
   * const { global_step, score_mean, score_std } = trainer.thong_ke();
   * ```
   */
  thong_ke(): RewardStats {
    const m = this.progress.history.metrics;
    return {
      ...this.baseStats(),
      pairs: this.data.pairs,
      truncated_pairs: this.data.truncated,
      identical_pairs: this.data.identical,
      score_mean: this.stats?.mean ?? null,
      score_std: this.stats?.std ?? null,
      score_count: this.stats?.count ?? 0,
      final_accuracy: m.accuracy?.at(-1) ?? null,
      final_reward_margin: m.reward_margin?.at(-1) ?? null,
    };
  }

  private async prepare(
    rm: RewardScoringModel,
    data: RewardPreferenceData,
    dataset: string,
  ): Promise<PreparedRewardPairs> {
    const o = this.options;
    const config = rm.config as { vocab_size: number };
    return prepareRewardPairs(data, rm.tokenizer, {
      maxSeqLength: Math.min(o.max_seq_length, maxPositions(rm)),
      ...(o.max_prompt_length === null ? {} : { maxPromptLength: o.max_prompt_length }),
      ...(o.chat_template === null ? {} : { chatTemplate: o.chat_template }),
      vocabSize: config.vocab_size,
      dataset,
    });
  }

  private result(): RewardTrainResult {
    const h = this.progress.history;
    const history = this.buildHistory(h);
    const stats = this.stats as ScoreStats;
    const base = this.baseStats();
    return {
      tong_thoi_gian: this.runInfo.seconds,
      so_epoch: base.so_epoch,
      global_step: base.global_step,
      train_loss_min: minOf(h.train_loss) ?? Number.NaN,
      final_accuracy: history.accuracy.at(-1) ?? Number.NaN,
      final_reward_margin: history.reward_margin.at(-1) ?? Number.NaN,
      ...(h.val_loss.length > 0
        ? { val_loss_min: minOf(h.val_loss) as number, val_accuracy: history.val_accuracy.at(-1) as number }
        : {}),
      score_mean: stats.mean,
      score_std: stats.std,
      truncated_pairs: this.data.truncated,
      history,
    };
  }

  /** The one history builder of `result.history` and `lay_lich_su()`. */
  protected buildHistory(h: TrainingHistory): RewardHistory {
    const col = (name: string): number[] => [...(h.metrics[name] ?? [])];
    return {
      train_loss: [...h.train_loss],
      accuracy: col('accuracy'),
      chosen_rewards: col('chosen_rewards'),
      rejected_rewards: col('rejected_rewards'),
      reward_margin: col('reward_margin'),
      reward_mean: col('reward_mean'),
      reward_min: col('reward_min'),
      reward_max: col('reward_max'),
      learning_rate: [...h.learning_rate],
      grad_norm: [...h.grad_norm],
      step: [...h.step],
      val_loss: [...h.val_loss],
      val_accuracy: h.records.flatMap((r) =>
        r.kind === 'eval' && r.metrics.val_accuracy !== undefined ? [r.metrics.val_accuracy] : [],
      ),
      val_step: [...h.val_step],
      ...(h.skipped_steps ? { skipped_steps: [...h.skipped_steps] } : {}),
      records: h.records.map((r) => ({ ...r, metrics: { ...r.metrics } })),
    };
  }
}
