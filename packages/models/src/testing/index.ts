/**
 * `@rlhf/models/testing`: seeded generators of valid and malformed model files for fuzzing (safetensors
 * bytes, `config.json`, `tokenizer.json`, chat templates) and the helpers that build safetensors bytes by
 * hand.
 *
 * @packageDocumentation
 */

export {
  CONFIG_KEYS,
  chatTemplateCase,
  messagesCase,
  modelFilesCase,
  mutateJson,
  mutateTokenizerJson,
  NASTY_VALUES,
  type RandomSource,
  REGEX_POOL,
  randomRegex,
} from './model-file-mutations.js';
export { rawSafetensors, seededRandom } from './raw-safetensors.js';
export { mutateSafetensorsHeader, safetensorsCandidate } from './safetensors-mutations.js';
export {
  STORY_HAS_BIG,
  STORY_HELD_OUT_PROMPTS,
  STORY_TRAIN_PROMPTS,
  type StorySample,
  sampleStoryContinuations,
  storyBigPairs,
  storyBigRate,
} from './story-word-property.js';
