import type { TensorCodec } from '@rlhf/core';
import { parseSafetensors } from './parse-safetensors.js';
import { serializeSafetensors } from './serialize-safetensors.js';

/**
 * Checkpoint tensors as safetensors (`model.safetensors`, `optimizer.safetensors`) — the codec every
 * trainer passes to the trainer base: files that `transformers` and `safetensors` read.
 *
 * @example
 * ```ts
 * const bytes = safetensorsCodec.encode(new Map([['w', { shape: [2], data: new Float32Array(2) }]]));
 * ```
 */
export const safetensorsCodec: TensorCodec = {
  extension: 'safetensors',
  encode: (tensors, metadata) => serializeSafetensors(tensors, metadata),
  decode: (bytes, fileName) => parseSafetensors(bytes, fileName).tensors,
};
