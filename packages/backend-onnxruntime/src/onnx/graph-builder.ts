import type { OnnxAttribute, OnnxElementType, OnnxGraph, OnnxNode, OnnxTensor, OnnxValueInfo } from './onnx-proto.js';

/** Name of the int64 input vector that carries the shape parameters of a dynamic graph. */
export const SHAPE_PARAMS_INPUT = 'shape_params';

/**
 * Builds an ONNX graph node by node: fresh value names, constants as de-duplicated initializers, graph
 * inputs and outputs.
 *
 * @example
 * ```ts
 * const g = new GraphBuilder();
 * g.input('x', 'float', [2, 3]);
 * const y = g.add('ReduceSum', ['x', g.int64([1])], [{ name: 'keepdims', int: 0 }]);
 * g.output(y, 'float');
 * const model = encodeModel(g.toGraph('sum'));
 * ```
 */
export class GraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly inputs: OnnxValueInfo[] = [];
  private readonly outputs: OnnxValueInfo[] = [];
  private readonly constants = new Map<string, string>();
  private readonly memos = new Map<string, string>();
  private counter = 0;
  /** Known `bool` forms of int32 0/1 values (a comparison's result before its cast to int32). */
  readonly boolForms = new Map<string, string>();
  /**
   * The value each emitted reshape reshapes: a reshape of a reshape reshapes the original instead, and
   * the intermediate, if nothing else reads it, is dead code onnxruntime drops (a decoding step has
   * dozens of such chains: heads split, permuted, merged).
   */
  readonly reshapeOf = new Map<string, string>();

  /** Values of the shape parameters requested so far (dynamic graphs), in order. */
  readonly shapeParams: number[] = [];
  /** Names and lengths of the pieces of {@link SHAPE_PARAMS_INPUT}, in order. */
  private readonly shapePieces: { name: string; length: number }[] = [];

  constructor(
    /** Whether onnxruntime's `com.microsoft` contrib ops may be used (not in portable exports). */
    readonly contribOps = true,
    /**
     * A dynamic graph serves every input shape of one structure: shapes are read from the int64 input
     * {@link SHAPE_PARAMS_INPUT} instead of being constants, and emitters must not branch on shapes.
     */
    readonly dynamic = false,
  ) {}

  /**
   * An int64 1-D tensor of shape-like values (a reshape target, slice bounds, an expand shape): a
   * constant in a static graph; in a dynamic graph a piece of the fed {@link SHAPE_PARAMS_INPUT}, never
   * shared between calls (the layout of that vector must not depend on values). The pieces come from
   * one `Split` of that input, added by {@link GraphBuilder.toGraph} (a node per piece cost a kernel launch
   * each on every run: a decoding step has dozens).
   */
  shapeParam(values: readonly number[]): string {
    if (!this.dynamic || values.length === 0) return this.int64(values);
    this.shapeParams.push(...values);
    const name = this.fresh('shape');
    this.shapePieces.push({ name, length: values.length });
    return name;
  }

  /** A new unique value name. */
  fresh(prefix = 't'): string {
    return `${prefix}${this.counter++}`;
  }

  /** Adds a node with one output; returns the output's name. */
  add(opType: string, inputs: readonly string[], attributes: readonly OnnxAttribute[] = [], domain = ''): string {
    return this.addMulti(opType, inputs, 1, attributes, domain)[0] as string;
  }

  /** Adds a one-output node whose output gets `name` (a graph output's public name). */
  addNamed(opType: string, inputs: readonly string[], name: string, attributes: readonly OnnxAttribute[] = []): string {
    this.nodes.push({ opType, inputs, outputs: [name], attributes });
    return name;
  }

  /** Adds an initializer (a constant tensor with its values) under `name`. */
  initializer(name: string, type: OnnxElementType, dims: readonly number[], raw: Uint8Array): void {
    this.initializers.push({ name, type, dims, raw });
  }

  /** Adds a node with `count` outputs; returns their names. */
  addMulti(
    opType: string,
    inputs: readonly string[],
    count: number,
    attributes: readonly OnnxAttribute[] = [],
    domain = '',
  ): string[] {
    const outputs = Array.from({ length: count }, () => this.fresh());
    this.nodes.push({ opType, inputs, outputs, attributes, domain });
    return outputs;
  }

  /** An int64 constant (a 1-D tensor, or rank 0 with `dims = []`). */
  int64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.constant(
      'int64',
      dims,
      values,
      () => new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer),
    );
  }

  /** A rank-0 constant of `type` (`float`, `int32` or `int64`). */
  scalar(value: number, type: 'float' | 'int32' | 'int64'): string {
    if (type === 'int64') return this.int64([value], []);
    const raw = () => new Uint8Array((type === 'float' ? Float32Array.of(value) : Int32Array.of(value)).buffer);
    return this.constant(type, [], [value], raw);
  }

  /** The value `make` builds, built once per `key` in this graph (shared sub-expressions). */
  memo(key: string, make: () => string): string {
    let name = this.memos.get(key);
    if (name === undefined) {
      name = make();
      this.memos.set(key, name);
    }
    return name;
  }

  /** Declares a graph input. */
  input(name: string, type: OnnxElementType, dims: readonly (number | string)[]): void {
    this.inputs.push({ name, type, dims });
  }

  /** Declares a graph output (an existing value). */
  output(name: string, type: OnnxElementType): void {
    this.outputs.push({ name, type });
  }

  /** Number of nodes added so far. */
  get nodeCount(): number {
    return this.nodes.length;
  }

  /** The finished graph. */
  toGraph(name: string): OnnxGraph {
    const pieces = this.shapePieces;
    const split: OnnxNode[] =
      pieces.length === 0
        ? []
        : [
            {
              opType: 'Split',
              inputs: [SHAPE_PARAMS_INPUT, this.int64(pieces.map((p) => p.length))],
              outputs: pieces.map((p) => p.name),
              attributes: [{ name: 'axis', int: 0 }],
            },
          ];
    const nodes = liveNodes([...split, ...this.nodes], this.outputs);
    const read = new Set(nodes.flatMap((n) => n.inputs));
    return {
      name,
      nodes,
      inputs: this.inputs,
      outputs: this.outputs,
      initializers: this.initializers.filter((t) => read.has(t.name)),
    };
  }

  private constant(
    type: OnnxElementType,
    dims: readonly number[],
    values: readonly number[],
    raw: () => Uint8Array,
  ): string {
    const key = `${type}|${dims.join(',')}|${values.map((v) => (Object.is(v, -0) ? '-0' : v)).join(',')}`;
    let name = this.constants.get(key);
    if (!name) {
      name = this.fresh('c');
      this.initializers.push({ name, type, dims, raw: raw() });
      this.constants.set(key, name);
    }
    return name;
  }
}

/**
 * The nodes that contribute to `outputs`, in order. onnxruntime runs a node nobody reads (it removes
 * none): a decoding step of stories260K emitted 28 such reshapes (heads split for a view that a later
 * reshape of the same source made unnecessary), each a kernel launch on every run.
 */
function liveNodes(nodes: readonly OnnxNode[], outputs: readonly OnnxValueInfo[]): OnnxNode[] {
  const needed = new Set(outputs.map((o) => o.name));
  const live: OnnxNode[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i] as OnnxNode;
    if (!node.outputs.some((o) => needed.has(o))) continue;
    live.push(node);
    for (const x of node.inputs) needed.add(x);
  }
  return live.reverse();
}
