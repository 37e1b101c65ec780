import type { ReplayCapture } from '../backend/backend-spec.js';
import { wrap } from '../ops/op-utils.js';
import { shapesEqual } from './shape-utils.js';
import type { Tensor } from './tensor.js';

/** A step function made {@link replayable}: called like the function, plus `release`. */
export interface ReplayableStep {
  (inputs: readonly Tensor[]): Tensor[];
  /** Whether calls now replay the capture instead of calling the function. */
  readonly replaying: boolean;
  /** Releases the capture (later calls call the function again). */
  release(): void;
}

/**
 * Makes a forward-only step function replayable on backends that record kernels (`backend.replay`,
 * onnxruntime): the first two calls run `fn` and are captured; if the two captures match — the same
 * kernels and shapes, and every value that is not one of `inputs` the same in both (weights, tables,
 * constants) — later calls with inputs of the same shapes run the capture on the new inputs without
 * calling `fn`, so core's per-op work is skipped. A call whose input shapes differ, or a backend without
 * replay, just calls `fn`. `fn` must compute its outputs from `inputs` and from values that do not change
 * between calls (model weights must not be updated while replaying); the check on the first two calls
 * refuses a function that reads a changing host value any other way. No gradients are recorded.
 *
 * @example
 * ```ts
 * const step = replayable(([ids, mask]) => [model.forward(ids, { attentionMask: mask }).logits]);
 * for (...) { const [logits] = step([ids, mask]); ... }
 * step.release();
 * ```
 */
export function replayable(fn: (inputs: readonly Tensor[]) => Tensor[]): ReplayableStep {
  let first: ReplayCapture | null = null;
  /** Shapes and dtypes of a list of tensors. */
  type Signature = { shape: number[]; dtype: Tensor['dtype'] }[];
  let confirmed: { capture: ReplayCapture; inputs: Signature; outputs: Signature } | null = null;
  let refused = false;
  const signature = (ts: readonly Tensor[]): Signature => ts.map((t) => ({ shape: [...t.shape], dtype: t.dtype }));
  // Compared on every call (a decoding step: once per token), without building strings.
  const sameSignature = (ts: readonly Tensor[], sig: Signature) =>
    ts.length === sig.length &&
    ts.every((t, i) => {
      const s = sig[i];
      return s !== undefined && t.dtype === s.dtype && shapesEqual(t.shape, s.shape);
    });
  const step = (inputs: readonly Tensor[]): Tensor[] => {
    const backend = inputs[0]?.backend;
    if (confirmed && backend && sameSignature(inputs, confirmed.inputs)) {
      const buffers = confirmed.capture.run(inputs.map((t) => t.buffer('replay')));
      return buffers.map((b, i) => {
        const out = confirmed?.outputs[i] as Signature[number];
        return wrap(backend, b, out.shape, out.dtype);
      });
    }
    const outputs = fn(inputs);
    if (refused || confirmed || !backend?.replay) return outputs;
    const capture = backend.replay.capture(
      inputs.map((t) => t.buffer('replay')),
      outputs.map((t) => t.buffer('replay')),
    );
    if (!capture) {
      refused = true;
    } else if (!first) {
      first = capture;
    } else {
      if (first.matches(capture)) {
        confirmed = {
          capture,
          inputs: signature(inputs),
          outputs: signature(outputs),
        };
      } else {
        refused = true;
        capture.release();
      }
      first.release();
      first = null;
    }
    return outputs;
  };
  Object.defineProperty(step, 'replaying', { get: () => confirmed !== null });
  return Object.assign(step, {
    release() {
      first?.release();
      confirmed?.capture.release();
      first = null;
      confirmed = null;
    },
  }) as ReplayableStep;
}
