/**
 * `@rlhf/dpo`: Direct Preference Optimization — the specification's `DPOTrainer` (`huan_luyen`, `lay_lich_su`,
 * `thong_ke`), preference data in the common public layouts, and a registry of DPO-family losses: the 15
 * `loss_type` values of TRL's `DPOConfig` (`sigmoid` with conservative label smoothing, `hinge`, `ipo`,
 * `exo_pair`, `nca_pair`, `robust`, `bco_pair`, `sppo_hard`, `aot`, `aot_unpaired`, `apo_zero`, `apo_down`,
 * `discopop`, `sft`, `sigmoid_norm`), alone or added up with `loss_weights`.
 *
 * @packageDocumentation
 */

// Preference data lives in `@rlhf/preference-data` (shared with `@rlhf/reward`); re-exported unchanged.
export {
  collatePairs,
  fromHhRlhf,
  fromShareGptPreference,
  HH_ASSISTANT_MARKER,
  type HhRlhfPair,
  type HhRlhfRecord,
  type IdsPreference,
  IGNORE_INDEX,
  type NormalizedPreference,
  type PairBatch,
  type PairTokenizationOptions,
  type PreferenceContent,
  type PreferenceData,
  PreferenceDataError,
  type PreferenceDataErrorKind,
  type PreferencePair,
  type PreferenceRecordInput,
  type PreparedPreferenceData,
  preparePreferenceData,
  type ShareGptPreferenceRecord,
  type ShareGptTurn,
  type SkippedRecord,
  type TextPreference,
  type TokenizedPreferencePair,
  type TruncatedPair,
  type TruncationLimits,
  tokenizePreferencePair,
  toPreferencePair,
  truncatePair,
  type ValidRecords,
  validPreferenceRecords,
} from '@rlhf/preference-data';
export {
  BETA_BOUNDS,
  DPO_DEFAULTS,
  type DPOConfig,
  type DPODefaults,
  type DPOOptions,
  dpoOptionSpecs,
} from './dpo-config.js';
export type { DPOModel, DPOModelConfig } from './dpo-model.js';
export { DPO_METRICS, type DPOItem, type DPOTrainingTask, type ReferenceLogProbs } from './dpo-task.js';
export { type DPOHistory, type DPOResult, type DPOStats, DPOTrainer } from './dpo-trainer.js';
export { AOT_LOSS } from './losses/aot.js';
export { AOT_UNPAIRED_LOSS } from './losses/aot-unpaired.js';
export { APO_DOWN_LOSS } from './losses/apo-down.js';
export { APO_ZERO_LOSS } from './losses/apo-zero.js';
export { BCO_PAIR_LOSS } from './losses/bco-pair.js';
export { DISCOPOP_LOSS, DISCOPOP_TAU, discopopLoss } from './losses/discopop.js';
export type {
  DeltaLossDefinition,
  DpoBatchLossFunction,
  DpoLossBatch,
  DpoLossDefinition,
  DpoLossFunction,
  DpoLossParams,
  DpoLossState,
  LabelSmoothingBound,
} from './losses/dpo-loss.js';
export { EXO_PAIR_LOSS, exoPairLoss } from './losses/exo-pair.js';
export { HINGE_LOSS, hingeLoss } from './losses/hinge.js';
export { IPO_LOSS, ipoLoss } from './losses/ipo.js';
export {
  type BatchLogRatios,
  batchLogRatios,
  fromDelta,
  logRatioDifference,
  type PairLogProbs,
} from './losses/log-ratio-difference.js';
export {
  type DpoLossSelection,
  dpoLossTerms,
  type WeightedDpoLoss,
  weightedDpoLoss,
} from './losses/loss-selection.js';
export { NCA_PAIR_LOSS } from './losses/nca-pair.js';
export { DPO_LOSS_NAMES, DPO_LOSS_TYPES, DPO_LOSSES, type DpoLossType, dpoLoss } from './losses/registry.js';
export { RewardRunningMean } from './losses/reward-running-mean.js';
export { ROBUST_LOSS, robustLoss } from './losses/robust.js';
export { SFT_LOSS } from './losses/sft.js';
export { SIGMOID_LOSS, sigmoidLoss } from './losses/sigmoid.js';
export { SIGMOID_NORM_LOSS } from './losses/sigmoid-norm.js';
export { SPPO_HARD_LOSS } from './losses/sppo-hard.js';
export type { ReferenceKind, ReferenceScorer } from './reference-scorer.js';
export {
  concatenatedLogProbs,
  type LogitsModel,
  type PairSequenceLogProbs,
  sequenceLogProbs,
} from './sequence-log-probs.js';
