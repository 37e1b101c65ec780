/** Test helpers that build safetensors bytes by hand (kept in `@rlhf/models/testing`). */
export { rawSafetensors, seededRandom } from '../../testing/raw-safetensors.js';
