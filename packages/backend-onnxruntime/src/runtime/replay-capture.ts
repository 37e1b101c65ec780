import { type BackendBuffer, InvalidArgumentError, type ReplayCapture, type TensorData } from '@rlhf/core';
import type { GraphPlan } from '../graph/graph-plan.js';
import type { OrtBuffer } from '../lazy/ort-buffer.js';

let nextCaptureId = 0;

/**
 * A computation captured by the onnxruntime backend's `replay.capture`: the plan of the graph from the
 * capture's inputs to its outputs (compiled and cached by the executor like any graph), and which of the
 * plan's fed buffers are inputs. Every other fed buffer is a constant of the capture — a weight, a table,
 * a mask or scalar the function made — fed again on every replay. `run` records one `replay` node whose
 * inputs are the new inputs; the executor runs the cached session for it.
 *
 * @example
 * ```ts
 * const a = backend.replay.capture([ids], [logits]); // first call
 * const b = backend.replay.capture([ids2], [logits2]); // second call
 * if (a.matches(b)) { const [next] = b.run([ids3]); }
 * ```
 */
export class OrtReplayCapture implements ReplayCapture {
  /** Identifies the capture in node signatures. */
  readonly id = nextCaptureId++;
  /**
   * Per fed buffer of the plan: the index of the input it is (or a view of: a reshape of a materialised
   * input shares its values), or −1 for a constant.
   */
  readonly feedInputs: readonly number[];
  /** Constants that were live buffers when the capture was confirmed (weights): they must stay live. */
  private liveConstants: readonly OrtBuffer[] = [];
  private released = false;

  constructor(
    /** The graph from the inputs to the outputs (its roots are the outputs). */
    readonly plan: GraphPlan,
    inputs: readonly OrtBuffer[],
    private readonly record: (capture: OrtReplayCapture, inputs: readonly BackendBuffer[]) => BackendBuffer[],
  ) {
    const index = new Map(inputs.map((b, i) => [b, i]));
    const views = new Map<TensorData, number>();
    inputs.forEach((b, i) => {
      if (b.data !== null && b.data.length > 0) views.set(b.data, i);
    });
    this.feedInputs = plan.feeds.map((b) => index.get(b) ?? (b.data === null ? undefined : views.get(b.data)) ?? -1);
  }

  matches(later: ReplayCapture): boolean {
    if (!(later instanceof OrtReplayCapture) || later.plan.key !== this.plan.key) return false;
    const constants: OrtBuffer[] = [];
    for (let i = 0; i < this.plan.feeds.length; i++) {
      if (this.feedInputs[i] !== later.feedInputs[i]) return false;
      if ((this.feedInputs[i] as number) >= 0) continue;
      const a = this.plan.feeds[i] as OrtBuffer;
      const b = later.plan.feeds[i] as OrtBuffer;
      if (a === b) {
        if (!a.disposed) constants.push(a);
        continue;
      }
      if (!sameValues(a.data, b.data)) return false;
    }
    for (const dtype of ['float32', 'int32'] as const) {
      const xs = this.plan.packed[dtype];
      const ys = later.plan.packed[dtype];
      if (xs.length !== ys.length || xs.some((x, i) => !sameValues(x.data, (ys[i] as OrtBuffer).data))) return false;
    }
    later.liveConstants = constants;
    return true;
  }

  run(inputs: readonly BackendBuffer[]): BackendBuffer[] {
    if (this.released) throw new InvalidArgumentError('replay', 'capture', this.id, 'was released');
    const gone = this.liveConstants.find((b) => b.disposed);
    if (gone) {
      throw new InvalidArgumentError(
        'replay',
        'constants',
        `a [${gone.shape.join(', ')}] buffer`,
        'was disposed after the capture (a weight of a disposed or updated model): capture the step again',
      );
    }
    return this.record(this, inputs);
  }

  release(): void {
    this.released = true;
    this.liveConstants = [];
  }
}

/** Whether two materialised arrays hold the same values (NaN equal to NaN). */
function sameValues(a: TensorData | null, b: TensorData | null): boolean {
  if (a === null || b === null || a.length !== b.length) return false;
  if (a === b) return true;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false;
  }
  return true;
}
