/**
 * `@rlhf/preference-data`: preference pairs in the common public layouts — the specification's
 * `{ prompt, chosen, rejected }` (strings or chat messages), pre-tokenised ids, ShareGPT and HH-RLHF
 * records — checked with typed errors naming the record, tokenised and truncated as TRL does, and
 * collated into padded batches. Shared by every preference trainer (`@rlhf/dpo`, `@rlhf/reward`, …).
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
export { PreferenceDataError, type PreferenceDataErrorKind } from './errors/preference-data-error.js';
