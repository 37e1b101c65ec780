/**
 * `@rlhf/models/testing`: seeded generators of valid and malformed model files for fuzzing (safetensors
 * bytes, `config.json`, `tokenizer.json`, chat templates) and the helpers that build safetensors bytes by
 * hand.
 *
 * @packageDocumentation
 */
export { rawSafetensors, seededRandom } from './raw-safetensors.js';
export { mutateSafetensorsHeader, safetensorsCandidate } from './safetensors-mutations.js';
