import { shapesEqual, type TensorData } from '@rlhf/core';
import type { GraphPlan } from '../graph/graph-plan.js';
import { signatureOf } from '../lazy/node-op.js';
import { OrtBuffer, type PendingNode } from '../lazy/ort-buffer.js';

/**
 * An output of a captured computation that is one of its inputs shifted along `axis` by the `rows` new
 * entries appended at the end — `concat([slice(input, drop the first rows), fresh], axis)`, a decoding
 * step's window of keys or values. A replay's session outputs only `fresh`; the host builds the window.
 */
export interface WindowShift {
  /** Index of the capture input that is shifted. */
  readonly input: number;
  /** Axis along which it is shifted. */
  readonly axis: number;
  /** Entries appended along `axis` (the size of `fresh` there). */
  readonly rows: number;
}

/** Where a shifted output's new rows are in the run's outputs. */
export interface ShiftSource extends WindowShift {
  /** Index of the run plan's root that holds them. */
  readonly root: number;
  /** Element offset of them in that root's values. */
  readonly offset: number;
}

/** A capture's plan with its window outputs replaced by their new rows, and what each output became. */
export interface ShiftedPlan {
  /**
   * The plan a replay compiles and runs: the same nodes, roots the capture's outputs that are not windows
   * (in order), then the windows' new rows — those of one shape and dtype joined along axis 0 into one
   * output (onnxruntime-node's cost of an output is ~4 µs however small).
   */
  readonly plan: GraphPlan;
  /** Per root of `plan` that is a capture output: its index among the capture's outputs. */
  readonly direct: readonly number[];
  /** Per capture output: where its new rows are, or null (a root of `plan`). */
  readonly shifts: readonly (ShiftSource | null)[];
}

/**
 * Finds the window outputs of a captured plan (see {@link WindowShift}). `feedInputs` gives, per fed
 * buffer of the plan, the capture input it is (−1 for a constant). onnxruntime-node copies every output
 * into a new array: a stories260K decoding step returned ten 32 KiB windows per token (~40 % of its
 * run, and most of the process's garbage collection) for 128 new bytes each.
 *
 * @example
 * ```ts
 * const { plan, direct, shifts } = shiftWindows(capture.plan, capture.feedInputs);
 * ```
 */
export function shiftWindows(plan: GraphPlan, feedInputs: readonly number[]): ShiftedPlan {
  const found = plan.roots.map((root) => windowOf(root, plan, feedInputs));
  const direct = found.flatMap((f, j) => (f === null ? [j] : []));
  if (direct.length === plan.roots.length) return { plan, direct, shifts: found.map(() => null) };
  const roots = direct.map((j) => plan.roots[j] as OrtBuffer);
  const nodes = [...plan.nodes];
  const shifts: (ShiftSource | null)[] = found.map(() => null);
  // New rows of one dtype and shape, in output order, joined into one root.
  const groups = new Map<string, number[]>();
  found.forEach((f, j) => {
    if (f === null) return;
    const key = `${f.fresh.dtype}:${f.fresh.shape.join(',')}`;
    groups.set(key, [...(groups.get(key) ?? []), j]);
  });
  for (const members of groups.values()) {
    const pieces = members.map((j) => (found[j] as { fresh: OrtBuffer }).fresh);
    const first = pieces[0] as OrtBuffer;
    if (pieces.length === 1 || first.shape.length === 0) {
      members.forEach((j, i) => {
        shifts[j] = { ...(found[j] as { shift: WindowShift }).shift, root: roots.length, offset: 0 };
        roots.push(pieces[i] as OrtBuffer);
      });
      continue;
    }
    const op = { kind: 'concat', axis: 0 } as const;
    const signature = signatureOf(op);
    const node: PendingNode = { op, signature, dynamicSignature: signature, inputs: pieces, outputs: [] };
    const shape = [pieces.length * (first.shape[0] as number), ...first.shape.slice(1)];
    node.outputs.push(OrtBuffer.pending(first.owner, node, 0, shape, first.dtype, false));
    nodes.push(node);
    members.forEach((j, i) => {
      shifts[j] = { ...(found[j] as { shift: WindowShift }).shift, root: roots.length, offset: i * first.size };
    });
    roots.push(node.outputs[0] as OrtBuffer);
  }
  const nodeIndex = new Map(nodes.map((n, i) => [n, i]));
  const rootText = roots.map((r) =>
    r.source ? `${nodeIndex.get(r.source.node)}.${r.source.index}` : `f${plan.feeds.indexOf(r)}`,
  );
  return {
    plan: { ...plan, key: `${plan.key}|window:${rootText.join(',')}`, nodes, roots },
    direct,
    shifts,
  };
}

/** `root` as `concat([slice(input), fresh])` of a capture input, or null. */
function windowOf(
  root: OrtBuffer,
  plan: GraphPlan,
  feedInputs: readonly number[],
): { fresh: OrtBuffer; shift: WindowShift } | null {
  const concat = root.source?.node;
  if (concat?.op.kind !== 'concat' || concat.inputs.length !== 2) return null;
  const axis = concat.op.axis;
  const [kept, fresh] = concat.inputs as [OrtBuffer, OrtBuffer];
  const slice = kept.source?.node;
  if (slice?.op.kind !== 'slice') return null;
  const input = slice.inputs[0] as OrtBuffer;
  const feed = plan.feeds.indexOf(input);
  const k = feed < 0 ? -1 : (feedInputs[feed] as number);
  if (k < 0 || !shapesEqual(input.shape, root.shape)) return null;
  const rows = fresh.shape[axis] as number;
  const { begin, size } = slice.op;
  const dropsFirstRows = begin.every((b, d) =>
    d === axis ? b === rows && size[d] === (input.shape[d] as number) - rows : b === 0 && size[d] === input.shape[d],
  );
  return dropsFirstRows && rows > 0 ? { fresh, shift: { input: k, axis, rows } } : null;
}

/**
 * Writes `window` shifted along the shift's axis by its rows, with the new rows appended — read from
 * `fresh` at element `offset`, (outer, rows, inner) in row-major order — into `out` (which may be `window`
 * itself: the shift then happens in place).
 *
 * @example
 * ```ts
 * applyShift(oldKeys, newRows, 0, [1, 4, 256, 8], { input: 3, axis: 2, rows: 1 }, oldKeys);
 * ```
 */
export function applyShift(
  window: TensorData,
  fresh: TensorData,
  offset: number,
  shape: readonly number[],
  shift: WindowShift,
  out: TensorData,
): void {
  let outer = 1;
  for (let d = 0; d < shift.axis; d++) outer *= shape[d] as number;
  let inner = 1;
  for (let d = shift.axis + 1; d < shape.length; d++) inner *= shape[d] as number;
  const block = (shape[shift.axis] as number) * inner; // one window along the axis
  const moved = shift.rows * inner; // entries leaving (and arriving) per block
  for (let o = 0; o < outer; o++) {
    const base = o * block;
    if (out === window) out.copyWithin(base, base + moved, base + block);
    else out.set(window.subarray(base + moved, base + block), base);
    const from = offset + o * moved;
    for (let i = 0; i < moved; i++) out[base + block - moved + i] = fresh[from + i] as number;
  }
}
