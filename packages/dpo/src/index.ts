/**
 * `@rlhf/dpo`: Direct Preference Optimization — the seed's `DPOTrainer` (`huan_luyen`, `lay_lich_su`,
 * `thong_ke`), preference data in the common public layouts, and a registry of DPO-family losses
 * (`sigmoid` with conservative label smoothing, `ipo`, `hinge`, `robust`).
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
export { DPO_METRICS, type DPOItem, dpoTask, type ReferenceLogProbs } from './dpo-task.js';
export { type DPOHistory, type DPOResult, type DPOStats, DPOTrainer } from './dpo-trainer.js';
export type { DpoLossDefinition, DpoLossFunction, DpoLossParams, LabelSmoothingBound } from './losses/dpo-loss.js';
export { HINGE_LOSS, hingeLoss } from './losses/hinge.js';
export { IPO_LOSS, ipoLoss } from './losses/ipo.js';
export { logRatioDifference, type PairLogProbs } from './losses/log-ratio-difference.js';
export { DPO_LOSS_TYPES, DPO_LOSSES, type DpoLossType, dpoLoss } from './losses/registry.js';
export { ROBUST_LOSS, robustLoss } from './losses/robust.js';
export { SIGMOID_LOSS, sigmoidLoss } from './losses/sigmoid.js';
export { precomputeReference } from './precompute-reference.js';
export { type ReferenceKind, type ReferenceScorer, referenceScorer } from './reference-scorer.js';
export {
  concatenatedLogProbs,
  type LogitsModel,
  type PairSequenceLogProbs,
  sequenceLogProbs,
} from './sequence-log-probs.js';
