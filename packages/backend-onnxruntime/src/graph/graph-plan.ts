import type { DType } from '@rlhf/core';
import type { OrtBuffer, PendingNode } from '../lazy/ort-buffer.js';

/**
 * What one run computes: the pending nodes that the roots need, in topological order, the
 * materialised buffers they read, and a canonical text of the structure (ops, attributes, shapes,
 * dtypes, wiring — never values) under which the compiled session is cached. The same training step
 * gives the same key every time, so it is compiled once and replayed.
 */
export interface GraphPlan {
  /** Canonical structure text: equal keys compile to interchangeable sessions. */
  readonly key: string;
  /** The same without shapes (ranks only): equal dynamic keys can share one dynamic-shape session. */
  readonly dynamicKey: string;
  /** Materialised inputs fed as graph inputs of their own, in order. */
  readonly feeds: readonly OrtBuffer[];
  /** Rank-0 materialised inputs (core's scalars), packed into one vector per dtype (one tensor per run). */
  readonly packed: Readonly<Record<DType, readonly OrtBuffer[]>>;
  /** Nodes to compute, inputs before users. */
  readonly nodes: readonly PendingNode[];
  /** The buffers the run must produce (graph outputs), in order. */
  readonly roots: readonly OrtBuffer[];
  /** Elements written by all nodes: a rough measure of the run's work. */
  readonly work: number;
  /** Elements of the largest output of any node: whether any one kernel is worth splitting over threads. */
  readonly largest: number;
}

/**
 * Plans the computation of `roots` (pending buffers). With `packScalars`, rank-0 inputs are packed (a
 * rule that depends on ranks only, so a structure keeps its inputs when shapes change). Buffers in
 * `leaves` are fed as inputs of their own even when pending or rank 0 (a captured computation's inputs).
 * Throws the stored error of an input whose own run failed.
 *
 * @example
 * ```ts
 * const plan = planGraph([loss, ...newParams], 16);
 * sessions.get(plan.key);
 * ```
 */
export function planGraph(
  roots: readonly OrtBuffer[],
  packScalars: boolean,
  leaves: ReadonlySet<OrtBuffer> = new Set(),
): GraphPlan {
  const nodeIndex = new Map<PendingNode, number>();
  const leafRef = new Map<OrtBuffer, string>();
  const feeds: OrtBuffer[] = [];
  const packed: Record<DType, OrtBuffer[]> = { float32: [], int32: [] };
  const nodes: PendingNode[] = [];
  const parts: string[] = [];
  const dynamicParts: string[] = [];
  let work = 0;
  let largest = 0;

  const refOf = (b: OrtBuffer): string => {
    if (b.error !== null) throw b.error;
    if (b.source && !leaves.has(b)) return `${nodeIndex.get(b.source.node)}.${b.source.index}`;
    let ref = leafRef.get(b);
    if (ref === undefined) {
      const small = packScalars && b.shape.length === 0 && !leaves.has(b);
      const list = small ? packed[b.dtype] : feeds;
      ref = `${small ? 'P' : 'F'}${b.dtype === 'float32' ? 'f' : 'i'}${list.length}`;
      list.push(b);
      leafRef.set(b, ref);
      parts.push(`${ref}[${b.shape.join(',')}]`);
      dynamicParts.push(`${ref}[r${b.shape.length}]`);
    }
    return ref;
  };

  // Iterative post-order walk (graphs of a training step are thousands of nodes deep).
  const stack: [PendingNode, boolean][] = [];
  for (const root of roots) {
    if (!root.source || nodeIndex.has(root.source.node)) continue;
    stack.push([root.source.node, false]);
    while (stack.length > 0) {
      const [node, expanded] = stack.pop() as [PendingNode, boolean];
      if (expanded) {
        const inputRefs = node.inputs.map(refOf).join(' ');
        nodeIndex.set(node, nodes.length);
        nodes.push(node);
        for (const out of node.outputs) {
          work += out.size;
          if (out.size > largest) largest = out.size;
        }
        parts.push(`${node.signature}(${inputRefs})`);
        dynamicParts.push(`${node.dynamicSignature}(${inputRefs})`);
        continue;
      }
      if (nodeIndex.has(node)) continue;
      stack.push([node, true]);
      for (let i = node.inputs.length - 1; i >= 0; i--) {
        const input = node.inputs[i] as OrtBuffer;
        const src = input.source;
        if (src && !nodeIndex.has(src.node) && !leaves.has(input)) stack.push([src.node, false]);
      }
    }
  }
  const outputs = `=>${roots.map(refOf).join(' ')}`;
  parts.push(outputs);
  dynamicParts.push(outputs);
  return { key: parts.join(';'), dynamicKey: dynamicParts.join(';'), feeds, packed, nodes, roots, work, largest };
}
