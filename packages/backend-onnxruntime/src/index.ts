/**
 * `@rlhf/backend-onnxruntime`: core's backend spec on onnxruntime-node's CPU kernels. Kernels record
 * lazily; a read compiles every pending computation — a whole training step — into one ONNX graph,
 * cached by structure and replayed. Also exports trained models to ONNX files for inference.
 * Node.js only.
 *
 * @packageDocumentation
 */

export { type ExportInput, type ExportOnnxOptions, exportOnnx } from './export/export-onnx.js';
export { createOnnxRuntimeBackend, OnnxRuntimeBackend, type OnnxRuntimeBackendOptions } from './onnxruntime-backend.js';
export type { ExecutorStats } from './runtime/graph-executor.js';
