import type { DType, TensorData } from '@rlhf/core';
import { emitNode } from '../emit/emit-node.js';
import { type EmitValue, onnxType, reshapeTo, scalarOf } from '../emit/emit-value.js';
import type { OrtBuffer } from '../lazy/ort-buffer.js';
import { GraphBuilder, SHAPE_PARAMS_INPUT } from '../onnx/graph-builder.js';
import type { OnnxGraph } from '../onnx/onnx-proto.js';
import type { GraphPlan } from './graph-plan.js';

/** A plan turned into an ONNX graph, with the names under which to feed and fetch. */
export interface CompiledPlan {
  readonly graph: OnnxGraph;
  /** Input name of each of `plan.feeds`, in order. */
  readonly feedNames: readonly string[];
  /** Input name of each dtype's packed vector (absent when nothing of that dtype is packed). */
  readonly packedNames: Readonly<Partial<Record<DType, string>>>;
  /** Output name of each of `plan.roots`, in order. */
  readonly outputNames: readonly string[];
  /** Dynamic graphs: the values to feed as {@link SHAPE_PARAMS_INPUT} (empty when none are used). */
  readonly shapeParams: readonly number[];
}

/** Options of {@link compilePlan}. */
export interface CompileOptions {
  /** Use onnxruntime's contrib ops. @defaultValue true */
  contribOps?: boolean;
  /**
   * Export mode: these fed buffers become graph inputs under the given names, every other fed buffer an
   * initializer holding its values (weights, tables, masks).
   */
  inputNames?: ReadonlyMap<OrtBuffer, string>;
  /** Names of the outputs, one per root (export mode). */
  outputNames?: readonly string[];
  /**
   * Emit a dynamic graph: symbolic input dims, shapes fed as {@link SHAPE_PARAMS_INPUT}, so one session
   * serves every shape of the plan's `dynamicKey`. @defaultValue false
   */
  dynamic?: boolean;
}

/** Little-endian bytes of a materialised buffer's values. */
function rawBytes(b: OrtBuffer): Uint8Array {
  const data = b.data as Float32Array | Int32Array;
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}

/**
 * Emits the ONNX graph of a plan: one input per fed buffer (static shape), one vector per packed dtype
 * split back into its small tensors, every node, and one output per root.
 *
 * @example
 * ```ts
 * const compiled = compilePlan(planGraph(roots, 16));
 * const bytes = encodeModel(compiled.graph);
 * ```
 */
export function compilePlan(plan: GraphPlan, options: CompileOptions = {}): CompiledPlan {
  const dynamic = options.dynamic ?? false;
  const g = new GraphBuilder(options.contribOps ?? true, dynamic);
  const names = new Map<OrtBuffer, string>();
  const dimsOf = (name: string, shape: readonly number[]) => (dynamic ? shape.map((_, d) => `${name}_${d}`) : shape);
  const feedNames = plan.feeds.map((b, i) => {
    const exported = options.inputNames?.get(b);
    const name = exported ?? `input${i}`;
    if (options.inputNames && exported === undefined) g.initializer(name, onnxType(b.dtype), b.shape, rawBytes(b));
    else g.input(name, onnxType(b.dtype), dimsOf(name, b.shape));
    names.set(b, name);
    return name;
  });
  const packedNames: Partial<Record<DType, string>> = {};
  for (const dtype of ['float32', 'int32'] as const) {
    const list = plan.packed[dtype];
    if (list.length === 0) continue;
    if (options.inputNames) {
      // Export mode (and a replay's session with its constants compiled in): the scalars are constants
      // too, so onnxruntime folds what they feed (a decoding step: a Split and 7 Reshapes fewer a run).
      for (const b of list) names.set(b, scalarOf(g, (b.data as TensorData)[0] as number, dtype));
      continue;
    }
    const name = `packed_${dtype}`;
    packedNames[dtype] = name;
    const sizes = list.map((b) => b.size);
    g.input(name, onnxType(dtype), dimsOf(name, [sizes.reduce((s, n) => s + n, 0)]));
    const pieces =
      list.length === 1
        ? [name]
        : g.addMulti('Split', [name, g.shapeParam(sizes)], list.length, [{ name: 'axis', int: 0 }]);
    list.forEach((b, i) => {
      names.set(b, reshapeTo(g, pieces[i] as string, b.shape));
    });
  }
  const emitted = (b: OrtBuffer): EmitValue => ({ name: names.get(b) as string, shape: b.shape, dtype: b.dtype });
  for (const node of plan.nodes) {
    const outs = emitNode(g, node.op, node.inputs.map(emitted));
    node.outputs.forEach((b, i) => {
      names.set(b, outs[i] as string);
    });
  }
  const used = new Set<string>();
  const outputNames = plan.roots.map((root, i) => {
    let name = names.get(root) as string;
    const exported = options.outputNames?.[i];
    if (exported !== undefined) name = g.addNamed('Identity', [name], exported);
    else if (used.has(name)) name = g.add('Identity', [name]);
    used.add(name);
    g.output(name, onnxType(root.dtype));
    return name;
  });
  if (g.shapeParams.length > 0) g.input(SHAPE_PARAMS_INPUT, 'int64', ['shape_param_count']);
  return { graph: g.toGraph('rlhf_step'), feedNames, packedNames, outputNames, shapeParams: g.shapeParams };
}
