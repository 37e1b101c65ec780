import type { BackendBuffer, FusedKernelName, TensorBackend } from '../backend/backend-spec.js';
import { engine, noGrad } from '../tensor/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import { detach } from './elementwise.js';
import { wrap } from './op-utils.js';

/** When false, core ignores every backend's fused kernels and composes primitives (for testing both). */
let fusedEnabled = true;

/**
 * Turns the use of backends' fused kernels on or off (on by default). Off, core computes every fused
 * op from primitives: the conformance suite uses this to compare the two paths.
 *
 * @example
 * ```ts
 * setFusedKernelsEnabled(false);
 * ```
 */
export function setFusedKernelsEnabled(enabled: boolean): void {
  fusedEnabled = enabled;
}

/**
 * Whether core currently uses backends' fused kernels (see {@link setFusedKernelsEnabled}).
 *
 * @example
 * ```ts
 * const previous = fusedKernelsEnabled();
 * setFusedKernelsEnabled(false);
 * try { check(); } finally { setFusedKernelsEnabled(previous); }
 * ```
 */
export function fusedKernelsEnabled(): boolean {
  return fusedEnabled;
}

/**
 * Runs a fused op: the backend's kernel when it offers one, otherwise `fallback` composed from primitives
 * with the tape off. Either way one node goes on the tape with core's gradient rule `backward`.
 */
export function runFused(
  name: FusedKernelName,
  inputs: readonly Tensor[],
  kernel: ((backend: TensorBackend) => BackendBuffer | undefined) | null,
  fallback: () => Tensor,
  backward: (y: Tensor, dy: Tensor) => readonly (Tensor | null)[],
): Tensor {
  const x = inputs[0] as Tensor;
  const backend = x.backend;
  let y: Tensor;
  const buf = fusedEnabled && backend.fused[name] && kernel ? kernel(backend) : undefined;
  if (buf) {
    y = wrap(backend, buf, x.shape, x.dtype);
  } else {
    const composed = noGrad(fallback);
    // The composition's tensors carry no tape; detach keeps the result free of it as well.
    y = composed.gradNode ? detach(composed) : composed;
  }
  return engine.record(y, name, inputs, (dy) => backward(y, dy));
}
