/**
 * Whether a tfjs backend instance is a `webgl` backend whose WebGL context is lost. tfjs's webgl backend
 * keeps its context at `backend.gpgpu.gl`; `WebGLRenderingContext.isContextLost()` is the browser's own
 * answer. Any other backend (no `gpgpu.gl`) is never lost.
 *
 * @example
 * ```ts
 * isWebGLContextLost({ gpgpu: { gl: { isContextLost: () => true } } }); // true
 * isWebGLContextLost({}); // false
 * ```
 */
export function isWebGLContextLost(tfBackend: unknown): boolean {
  const gl = (tfBackend as { gpgpu?: { gl?: { isContextLost?: () => boolean } } } | null | undefined)?.gpgpu?.gl;
  return typeof gl?.isContextLost === 'function' && gl.isContextLost() === true;
}
