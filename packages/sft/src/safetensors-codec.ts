import type { TensorCodec } from '@rlhf/core';
import { parseSafetensors, serializeSafetensors } from '@rlhf/models';

/**
 * Checkpoint tensors as safetensors (`model.safetensors`, `optimizer.safetensors`), through the
 * serializer of `@rlhf/models`: files that `transformers` and `safetensors` read.
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
