/**
 * `@rlhf/dpo`: Direct Preference Optimization — the specification's `DPOTrainer` (`huan_luyen`, `lay_lich_su`,
 * `thong_ke`), preference data in the common public layouts, and a registry of DPO-family losses
 * (`sigmoid` with conservative label smoothing, `ipo`, `hinge`, `robust`).
 *
 * @packageDocumentation
 */

export { collatePairs, IGNORE_INDEX, type PairBatch } from './data/collate-pairs.js';
export { fromHhRlhf, HH_ASSISTANT_MARKER, type HhRlhfPair, type HhRlhfRecord } from './data/hh-rlhf.js';
export {
  type IdsPreference,
  type NormalizedPreference,
  type PreferenceContent,
  type PreferencePair,
  type PreferenceRecordInput,
  type TextPreference,
  type TokenizedPreferencePair,
  toPreferencePair,
} from './data/preference-record.js';
export {
  type PreferenceData,
  type PreparedPreferenceData,
  preparePreferenceData,
} from './data/prepare-preference-data.js';
export {
  fromShareGptPreference,
  type ShareGptPreferenceRecord,
  type ShareGptTurn,
} from './data/sharegpt-preference.js';
export { type PairTokenizationOptions, tokenizePreferencePair } from './data/tokenize-pair.js';
export { type TruncatedPair, type TruncationLimits, truncatePair } from './data/truncate-pair.js';
export { type SkippedRecord, type ValidRecords, validPreferenceRecords } from './data/valid-preference-records.js';
export {
  BETA_BOUNDS,
  DPO_DEFAULTS,
  type DPOConfig,
  type DPODefaults,
  type DPOOptions,
  dpoOptionSpecs,
} from './dpo-config.js';
export type { DPOModel, DPOModelConfig } from './dpo-model.js';
export { DPO_METRICS, type DPOItem, type ReferenceLogProbs } from './dpo-task.js';
export { type DPOHistory, type DPOResult, type DPOStats, DPOTrainer } from './dpo-trainer.js';
export { PreferenceDataError, type PreferenceDataErrorKind } from './errors/preference-data-error.js';
export type { DpoLossDefinition, DpoLossFunction, DpoLossParams, LabelSmoothingBound } from './losses/dpo-loss.js';
export { HINGE_LOSS, hingeLoss } from './losses/hinge.js';
export { IPO_LOSS, ipoLoss } from './losses/ipo.js';
export { logRatioDifference, type PairLogProbs } from './losses/log-ratio-difference.js';
export { DPO_LOSS_TYPES, DPO_LOSSES, type DpoLossType, dpoLoss } from './losses/registry.js';
export { ROBUST_LOSS, robustLoss } from './losses/robust.js';
export { SIGMOID_LOSS, sigmoidLoss } from './losses/sigmoid.js';
export type { ReferenceKind, ReferenceScorer } from './reference-scorer.js';
export {
  concatenatedLogProbs,
  type LogitsModel,
  type PairSequenceLogProbs,
  sequenceLogProbs,
} from './sequence-log-probs.js';
