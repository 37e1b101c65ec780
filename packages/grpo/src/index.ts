/**
 * `@rlhf/grpo`: online reinforcement learning from any reward — `GRPOTrainer` (Group Relative Policy
 * Optimization) and `RLOOTrainer` (REINFORCE Leave-One-Out), one package because they share the sampling
 * loop, the reward functions and the clipped surrogate. A reward is any JavaScript function
 * `(prompts, completions) => number[]` (sync or async), or a trained reward model through
 * `rewardModelReward`. Defaults and formulas follow TRL v1.0.
 *
 * @packageDocumentation
 */

export { type GroupAdvantages, groupAdvantages, rlooAdvantages, STD_EPSILON, unbiasedStd } from './advantages.js';
export { RewardFunctionError, type RewardFunctionFailure } from './errors/reward-function-error.js';
export { GRPOTrainer } from './grpo-trainer.js';
export {
  GRPO_LOSS_TYPES,
  type GRPOConfig,
  type GRPOOptions,
  type GrpoLossType,
  grpoOptionSpecs,
  type RLOOConfig,
  type RLOOOptions,
  rlooOptionSpecs,
  SCALE_REWARDS,
  type ScaleRewards,
  TRL_VERSION_FOLLOWED,
} from './online-config.js';
export type { OnlineHistory, OnlineOptions, OnlineResult, OnlineStats, RoundAdvantages } from './online-result.js';
export { OnlineTrainer } from './online-trainer.js';
export { type PreparedPrompts, type PromptData, type PromptRecord, preparePrompts } from './prompt-data.js';
export {
  type NamedReward,
  namedRewards,
  type RewardFunction,
  rewardName,
  scoreRewards,
} from './rewards/reward-function.js';
export { type RewardModelRewardOptions, rewardModelReward } from './rewards/reward-model-reward.js';
export { RLOOTrainer } from './rloo-trainer.js';
export {
  type Completion,
  type CompletionBatch,
  type CompletionScores,
  collateCompletions,
  completionLogProbs,
  frozenLogProbs,
  maskTensor,
  type RolloutSettings,
  rowsOf,
  sampleCompletions,
} from './rollouts.js';
export {
  clippedSurrogate,
  k3Kl,
  rowsTensor,
  type StepShape,
  type SurrogateInput,
  type SurrogateOutput,
  type SurrogateParams,
  sequenceClippedSurrogate,
  tokenWeights,
} from './surrogate-loss.js';
