/**
 * `@rlhf/sft`: supervised fine-tuning — the specification's `SFTTrainer` (`huan_luyen`, `lay_lich_su`, `thong_ke`)
 * over any causal LM of `@rlhf/models`, on text, prompt-completion, conversational or pre-tokenised data.
 *
 * @packageDocumentation
 */

export { collate, type SFTBatch } from './data/collate.js';
export {
  type PreparedDataset,
  type PrepareOptions,
  prepareDataset,
  type RecordSource,
} from './data/prepare-dataset.js';
export { countTargets, IGNORE_INDEX, type SFTExample } from './data/sft-example.js';
export {
  type ConversationRecord,
  type PromptCompletionRecord,
  type RecordKind,
  recordKind,
  type SFTRecord,
  type TextRecord,
  type TokenizedRecord,
} from './data/sft-record.js';
export { SFT_DEFAULTS, SFT_OPTION_SPECS, type SFTConfig, type SFTOptions } from './sft-config.js';
export type { SFTModel } from './sft-model.js';
export { type SFTCallback, type SFTHistory, type SFTResult, type SFTStats, SFTTrainer } from './sft-trainer.js';
