/**
 * One Dawn entry point (Node only) and the adapter options that go with it.
 *
 * @example
 * ```ts
 * const gles: DawnAttempt = { dawnOptions: ['backend=opengles'], featureLevel: 'compatibility' };
 * ```
 */
export interface DawnAttempt {
  /** Toggles passed to `create()`, e.g. `['backend=opengles']`; `[]` lets Dawn choose (Vulkan on Linux). */
  dawnOptions: string[];
  /** `'compatibility'` for the OpenGL ES backend (WebGPU's compatibility mode); `'core'` otherwise. */
  featureLevel: 'core' | 'compatibility';
}
