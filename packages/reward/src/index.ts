/**
 * `@rlhf/reward`: the specification's `RewardModel` (mô hình phần thưởng) — Bradley–Terry reward-model training on
 * preference pairs with the shared trainer loop, batched scoring (`diem_danh_gia`) with z-scores against
 * the training texts, and the losses, metrics and scoring pieces it is built from. Saving and loading a
 * reward model from disk is in `@rlhf/reward/node`.
 *
 * @packageDocumentation
 */

export type { PreparedRewardPairs, PrepareRewardPairsOptions, RewardPair } from './data/prepare-reward-pairs.js';
export { MissingTokenizerError, NotARewardModelError, RewardInputError } from './errors/reward-errors.js';
export { rewardModelFromContent, rewardModelToContent } from './io/reward-model-content.js';
export { bradleyTerryLoss } from './losses/bradley-terry-loss.js';
export { centerRewardsLoss } from './losses/center-rewards-loss.js';
export { type RewardLossInput, rewardLoss } from './losses/reward-loss.js';
export { type RewardMetrics, rewardMetrics } from './metrics/reward-metrics.js';
export { getScoreNormalization, setScoreNormalization } from './normalization/score-normalization.js';
export { normalizeScore, type ScoreStats, scoreStats } from './normalization/score-stats.js';
export { REWARD_DEFAULTS, REWARD_OPTION_SPECS, type RewardConfig, type RewardOptions } from './reward-config.js';
export {
  type RewardHistory,
  RewardModel,
  type RewardPreferenceData,
  type RewardStats,
  type RewardTrainResult,
} from './reward-trainer.js';
export {
  type ScoredText,
  type ScoredTexts,
  type ScoreTextsOptions,
  scoreTexts,
  type TokenizedTexts,
} from './scoring/score-texts.js';
export { type ScoreTokenIdsOptions, scoreTokenIds } from './scoring/score-token-ids.js';
export { type RewardTaskOptions, rewardTask } from './training/reward-task.js';
