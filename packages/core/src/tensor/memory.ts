import type { MemoryInfo, TensorBackend } from '../backend/backend-spec.js';
import { engine } from './engine.js';

/**
 * Memory accounting: the backend's live buffers and bytes, plus the number of live core tensors (all
 * backends).
 *
 * @example
 * ```ts
 * const before = memoryInfo(backend);
 * step();
 * console.log(memoryInfo(backend).liveBuffers - before.liveBuffers); // 0 for a leak-free step
 * ```
 */
export function memoryInfo(backend: TensorBackend): MemoryInfo & {
  /** Core tensors created and not yet disposed, over every backend. */
  liveTensors: number;
} {
  return { ...backend.memory(), liveTensors: engine.liveTensors };
}
