/**
 * `@rlhf/kto`: Kahneman-Tversky Optimization — `KTOTrainer` in the specification's style (`huan_luyen`, `lay_lich_su`,
 * `thong_ke`) on unpaired thumbs-up / thumbs-down data (`{ prompt, completion, label }`, TRL's format), the
 * converter from paired preference data, and the KTO losses (`kto`, `apo_zero_unpaired`).
 *
 * @packageDocumentation
 */

export {
  collateSequences,
  klPairs,
  type PromptCompletion,
  type SequenceBatch,
} from './data/collate-sequences.js';
export {
  asKtoError,
  type IdsKtoExample,
  type KtoExample,
  type KtoRecordInput,
  type NormalizedKtoExample,
  type TextKtoExample,
  type TokenizedKtoExample,
  toKtoExample,
} from './data/kto-record.js';
export {
  type KtoData,
  type KtoTokenizationOptions,
  type PreparedKtoData,
  prepareKtoData,
  type TokenizedKto,
} from './data/prepare-kto-data.js';
export { isPreferencePair, unpairPreferenceData } from './data/unpair-preference-data.js';
export { KtoDataError, type KtoDataErrorKind } from './errors/kto-data-error.js';
export { KTO_DEFAULTS, type KTOConfig, type KTODefaults, type KTOOptions, ktoOptionSpecs } from './kto-config.js';
export { type KTOHistory, ktoHistory, ktoRecord } from './kto-history.js';
export { type KtoReference, type KtoReferenceKind, ktoReference } from './kto-reference.js';
export { KTO_RAW_METRICS, ktoTask } from './kto-task.js';
export { type KTOResult, type KTOStats, KTOTrainer } from './kto-trainer.js';
export { klReferencePoint } from './losses/kl-reference-point.js';
export {
  KTO_LOSS_TYPES,
  type KtoLossInputs,
  type KtoLossParams,
  type KtoLossType,
  ktoLoss,
} from './losses/kto-loss.js';
export { weightWarning } from './weight-warning.js';
