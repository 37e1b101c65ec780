/**
 * `@rlhf/sft`: supervised fine-tuning — the seed's `SFTTrainer` (`huan_luyen`, `lay_lich_su`, `thong_ke`)
 * over any causal LM of `@rlhf/models`, on text, prompt-completion, conversational or pre-tokenised data.
 *
 * @packageDocumentation
 */

export { collate, type SFTBatch } from './data/collate.js';
export { conversationLabels, type LabelledIds } from './data/conversation-labels.js';
export { packExamples } from './data/pack-examples.js';
export {
  type PreparedDataset,
  type PrepareOptions,
  prepareDataset,
  type RecordSource,
} from './data/prepare-dataset.js';
export {
  commonPrefixLength,
  countTargets,
  IGNORE_INDEX,
  type SFTExample,
  targetsFromLabels,
} from './data/sft-example.js';
export {
  type ConversationRecord,
  checkMessages,
  type PromptCompletionRecord,
  type RecordKind,
  recordKind,
  type SFTRecord,
  type TextRecord,
  type TokenizedRecord,
} from './data/sft-record.js';
export { type TokenizeContext, tokenizeRecord } from './data/tokenize-record.js';
export { checkLoraOption, SFT_DEFAULTS, SFT_OPTION_SPECS, type SFTConfig, type SFTOptions } from './sft-config.js';
export type { SFTModel } from './sft-model.js';
export { sftTask } from './sft-task.js';
export { type SFTCallback, type SFTHistory, type SFTResult, type SFTStats, SFTTrainer } from './sft-trainer.js';
