import { type DType, full, InvalidArgumentError, noGrad, type Tensor, tidy } from '@rlhf/core';
import { compilePlan } from '../graph/compile-graph.js';
import { planGraph } from '../graph/graph-plan.js';
import { OrtBuffer } from '../lazy/ort-buffer.js';
import { encodeModel } from '../onnx/onnx-proto.js';
import type { OnnxRuntimeBackend } from '../onnxruntime-backend.js';

/**
 * One graph input of {@link exportOnnx}.
 *
 * @example
 * ```ts
 * const ids: ExportInput = { shape: [1, 64], dtype: 'int32' };
 * ```
 */
export interface ExportInput {
  /** Its fixed shape. */
  shape: readonly number[];
  /** Its element type (token ids are `int32`). */
  dtype: DType;
}

/**
 * Options of {@link exportOnnx}.
 *
 * @example
 * ```ts
 * const options: ExportOnnxOptions<'input_ids', 'logits'> = {
 *   inputs: { input_ids: { shape: [1, 32], dtype: 'int32' } },
 *   forward: ({ input_ids }) => ({ logits: model.forward(input_ids).logits }),
 * };
 * ```
 */
export interface ExportOnnxOptions<I extends string, O extends string> {
  /** The graph inputs, by name (shapes are fixed in the exported graph). */
  inputs: Record<I, ExportInput>;
  /** Computes the named outputs from the input tensors; recorded with the tape off, never run. */
  forward: (inputs: Record<I, Tensor>) => Record<O, Tensor>;
  /**
   * Standard ONNX operators only (opset 18), so any ONNX runtime can load the file; `false` also uses
   * onnxruntime's contrib ops (FusedMatMul, SimplifiedLayerNormalization). @defaultValue true
   */
  portable?: boolean;
}

/**
 * Exports a computation — typically a trained model's forward pass — as one self-contained ONNX model:
 * the named inputs become graph inputs, every tensor the computation reads besides them (weights,
 * rotary tables, masks) an initializer with its current values, and the named results graph outputs.
 * Pending training work is computed first, so the weights are the trained ones.
 *
 * @example
 * ```ts
 * const bytes = await exportOnnx(backend, {
 *   inputs: { input_ids: { shape: [1, 64], dtype: 'int32' } },
 *   forward: ({ input_ids }) => ({ logits: model.forward(input_ids).logits }),
 * });
 * writeFileSync('model.onnx', bytes); // logits (1, 64, V) from input_ids (1, 64) int32
 * ```
 */
export async function exportOnnx<I extends string, O extends string>(
  backend: OnnxRuntimeBackend,
  options: ExportOnnxOptions<I, O>,
): Promise<Uint8Array> {
  await backend.flush();
  const inputNames = Object.keys(options.inputs) as I[];
  const inputs = {} as Record<I, Tensor>;
  for (const name of inputNames) {
    const { shape, dtype } = options.inputs[name];
    inputs[name] = full(backend, shape, 0, dtype);
  }
  let outputs: Record<O, Tensor> | undefined;
  try {
    outputs = noGrad(() => tidy(() => options.forward(inputs)));
    const outputNames = Object.keys(outputs) as O[];
    const roots = outputNames.map((name) => bufferOf(backend, (outputs as Record<O, Tensor>)[name], name));
    const plan = planGraph(roots, false);
    const byBuffer = new Map<OrtBuffer, string>(
      inputNames.map((name) => [bufferOf(backend, inputs[name], name), name]),
    );
    const portable = options.portable ?? true;
    const compiled = compilePlan(plan, { contribOps: !portable, inputNames: byBuffer, outputNames });
    const used = new Set(compiled.graph.inputs.map((v) => v.name));
    const unused = inputNames.filter((name) => !used.has(name));
    if (unused.length > 0) {
      throw new InvalidArgumentError('exportOnnx', 'inputs', unused.join(', '), 'are not used by forward');
    }
    return encodeModel({ ...compiled.graph, name: 'rlhf_export' }, !portable);
  } finally {
    for (const t of Object.values<Tensor>(outputs ?? ({} as Record<O, Tensor>))) t.dispose();
    for (const t of Object.values<Tensor>(inputs)) t.dispose();
  }
}

function bufferOf(backend: OnnxRuntimeBackend, t: Tensor, name: string): OrtBuffer {
  const b = t.buffer('exportOnnx');
  if (!(b instanceof OrtBuffer) || t.backend !== backend) {
    throw new InvalidArgumentError('exportOnnx', name, t.toString(), 'must be a tensor of the exporting backend');
  }
  return b;
}
