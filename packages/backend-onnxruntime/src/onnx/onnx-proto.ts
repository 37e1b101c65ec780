import { ProtobufWriter } from './protobuf-writer.js';

/**
 * The subset of ONNX's protobuf schema (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) this
 * backend writes, as plain objects, and its encoder. Field numbers are those of `onnx.proto`.
 *
 * @packageDocumentation
 */

/** `TensorProto.DataType` values used here. */
export const OnnxDataType = { float: 1, uint8: 2, int32: 6, int64: 7, bool: 9 } as const;

/** An element type name (a key of {@link OnnxDataType}). */
export type OnnxElementType = keyof typeof OnnxDataType;

/** A constant tensor (an initializer, or the value of a tensor attribute). */
export interface OnnxTensor {
  name: string;
  type: OnnxElementType;
  dims: readonly number[];
  /** Little-endian raw bytes of the values (`raw_data`). */
  raw: Uint8Array;
}

/** An attribute value: a number is an INT unless `float` is set; arrays are INTS unless `floats`. */
export type OnnxAttribute =
  | { name: string; int: number }
  | { name: string; float: number }
  | { name: string; ints: readonly number[] }
  | { name: string; floats: readonly number[] }
  | { name: string; string: string }
  | { name: string; tensor: OnnxTensor };

/** One operator invocation. */
export interface OnnxNode {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: readonly OnnxAttribute[];
  /** `''` for the standard domain, `'com.microsoft'` for onnxruntime's contrib ops. */
  domain?: string;
}

/** A graph input or output: name, element type and dims (a string is a symbolic dim; omitted: any shape). */
export interface OnnxValueInfo {
  name: string;
  type: OnnxElementType;
  dims?: readonly (number | string)[];
}

/** A whole model. */
export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
  initializers: readonly OnnxTensor[];
}

/** The opset this backend targets: ONNX 18 (reduce ops take `axes` as an input, Split takes `num_outputs`). */
export const ONNX_OPSET = 18;
/** IR version matching {@link ONNX_OPSET} (ONNX 1.13). */
const IR_VERSION = 8;

/**
 * Encodes a model (ModelProto) with the standard opset {@link ONNX_OPSET} and, when `contribOps`, the
 * `com.microsoft` opset 1 (onnxruntime's contrib ops: FusedMatMul, SimplifiedLayerNormalization).
 *
 * @example
 * ```ts
 * const bytes = encodeModel({
 *   name: 'neg', initializers: [],
 *   inputs: [{ name: 'x', type: 'float', dims: ['n'] }], outputs: [{ name: 'y', type: 'float' }],
 *   nodes: [{ opType: 'Neg', inputs: ['x'], outputs: ['y'] }],
 * });
 * ```
 */
export function encodeModel(graph: OnnxGraph, contribOps = true): Uint8Array {
  const w = new ProtobufWriter();
  w.int64(1, IR_VERSION); // ir_version
  w.string(2, '@rlhf/backend-onnxruntime'); // producer_name
  w.message(7, (g) => encodeGraph(g, graph)); // graph
  w.message(8, (o) => o.int64(2, ONNX_OPSET)); // opset_import: { domain: '', version }
  if (contribOps) {
    w.message(8, (o) => {
      o.string(1, 'com.microsoft');
      o.int64(2, 1);
    });
  }
  return w.finish();
}

function encodeGraph(w: ProtobufWriter, graph: OnnxGraph): void {
  for (const node of graph.nodes) w.message(1, (n) => encodeNode(n, node));
  w.string(2, graph.name);
  for (const t of graph.initializers) w.message(5, (m) => encodeTensor(m, t));
  for (const v of graph.inputs) w.message(11, (m) => encodeValueInfo(m, v));
  for (const v of graph.outputs) w.message(12, (m) => encodeValueInfo(m, v));
}

function encodeNode(w: ProtobufWriter, node: OnnxNode): void {
  for (const i of node.inputs) w.string(1, i);
  for (const o of node.outputs) w.string(2, o);
  w.string(4, node.opType);
  for (const a of node.attributes ?? []) w.message(5, (m) => encodeAttribute(m, a));
  if (node.domain) w.string(7, node.domain);
}

// AttributeProto.AttributeType
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_TENSOR = 4;
const ATTR_FLOATS = 6;
const ATTR_INTS = 7;

function encodeAttribute(w: ProtobufWriter, a: OnnxAttribute): void {
  w.string(1, a.name);
  if ('float' in a) {
    w.float(2, a.float);
    w.int64(20, ATTR_FLOAT);
  } else if ('int' in a) {
    w.int64(3, a.int);
    w.int64(20, ATTR_INT);
  } else if ('string' in a) {
    w.string(4, a.string);
    w.int64(20, ATTR_STRING);
  } else if ('tensor' in a) {
    const t = a.tensor;
    w.message(5, (m) => encodeTensor(m, t));
    w.int64(20, ATTR_TENSOR);
  } else if ('floats' in a) {
    w.packedFloat(7, a.floats);
    w.int64(20, ATTR_FLOATS);
  } else {
    w.packedInt64(8, a.ints);
    w.int64(20, ATTR_INTS);
  }
}

function encodeTensor(w: ProtobufWriter, t: OnnxTensor): void {
  if (t.dims.length > 0) w.packedInt64(1, t.dims);
  w.int64(2, OnnxDataType[t.type]);
  w.string(8, t.name);
  w.bytes(9, t.raw);
}

function encodeValueInfo(w: ProtobufWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensorType) => {
      tensorType.int64(1, OnnxDataType[v.type]);
      const dims = v.dims;
      if (dims) {
        tensorType.message(2, (shape) => {
          for (const d of dims) {
            shape.message(1, (dim) => (typeof d === 'number' ? dim.int64(1, d) : dim.string(2, d)));
          }
        });
      }
    }),
  );
}
