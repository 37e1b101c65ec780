import { type BackendBuffer, InvalidArgumentError, type ReplayCapture, type TensorData } from '@rlhf/core';
import type { GraphPlan } from '../graph/graph-plan.js';
import type { OrtBuffer } from '../lazy/ort-buffer.js';
import { type ShiftedPlan, shiftWindows } from './window-shift.js';

let nextCaptureId = 0;

/**
 * Captures whose constants (weights, tables, masks) total at most this many bytes run as sessions with the
 * constants compiled in (see {@link OrtReplayCapture.bakedKey}); larger ones feed them every run.
 */
const BAKE_BYTES = 64 * 2 ** 20;

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
  private baked: { key: string } | null | undefined;
  /**
   * Whether this capture's constants equal those compiled into a cached session (whose meta object is
   * `meta`): set by the executor on first use of that session.
   */
  bakedChecked: { meta: object; same: boolean } | null = null;
  /** Replays run so far (a session with the constants compiled in pays off only for a long generation). */
  replays = 0;

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
    this.shifted = shiftWindows(plan, this.feedInputs);
  }

  /**
   * What a replay runs: {@link plan} with its window outputs replaced by their new rows, and per output how
   * the host rebuilds it (see `shiftWindows`).
   */
  readonly shifted: ShiftedPlan;

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

  /**
   * The key of a session with this capture's constants compiled in as initializers — onnxruntime then
   * pre-packs the constant operands of its GEMMs, and a run feeds only the inputs (a decoding step of
   * stories260K: 0.65 → 0.50 ms) — or null where the constants exceed 64 MiB (a session would hold a copy of
   * them). Live constants (weights) enter the key by identity, the others (masks, tables, scalars the
   * function made) by a hash of their values, so repeated generations with the same weights share one
   * session; the session's user compares those values before using it ({@link temporaries}).
   */
  bakedKey(): string | null {
    if (this.baked !== undefined) return this.baked?.key ?? null;
    let bytes = 0;
    const parts = [this.shifted.plan.key];
    this.plan.feeds.forEach((b, i) => {
      const k = this.feedInputs[i] as number;
      if (k >= 0) {
        parts.push(`i${k}`);
        return;
      }
      bytes += b.bytes;
      parts.push(this.liveConstants.includes(b) ? `#${b.id}` : `=${hashValues(b.data as TensorData)}`);
    });
    // The packed scalars are compiled in as well.
    for (const dtype of ['float32', 'int32'] as const) {
      for (const b of this.plan.packed[dtype]) {
        const v = (b.data as TensorData)[0] as number;
        parts.push(`${dtype}=${Object.is(v, -0) ? '-0' : v}`);
      }
    }
    this.baked = bytes <= BAKE_BYTES ? { key: parts.join('|') } : null;
    return this.baked?.key ?? null;
  }

  /** The constants that enter {@link bakedKey} by value, in order. */
  temporaries(): TensorData[] {
    return this.plan.feeds.flatMap((b, i) =>
      (this.feedInputs[i] as number) < 0 && !this.liveConstants.includes(b) ? [b.data as TensorData] : [],
    );
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

/** Two 32-bit FNV-1a hashes (of the even and odd 32-bit words) and the length, as text. */
function hashValues(data: TensorData): string {
  const words = new Uint32Array(data.buffer, data.byteOffset, data.length);
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as number;
    if (i % 2 === 0) a = Math.imul(a ^ w, 0x01000193) >>> 0;
    else b = Math.imul(b ^ w, 0x811c9dc5) >>> 0;
  }
  return `${data.length}:${a.toString(36)}:${b.toString(36)}`;
}

/** Whether two materialised arrays hold the same values (NaN equal to NaN). */
export function sameValues(a: TensorData | null, b: TensorData | null): boolean {
  if (a === null || b === null || a.length !== b.length) return false;
  if (a === b) return true;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false;
  }
  return true;
}
