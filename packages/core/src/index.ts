/**
 * `@rlhf/core`: tensors over a pluggable backend, reverse-mode autodiff, neural-network modules,
 * optimisers and schedules — the backend-agnostic foundation of every @rlhf package.
 *
 * @packageDocumentation
 */
export * from './backend/backend-spec.js';
export { resolveBackend, toBackend, BackendNotInstalledError, BACKEND_PREFERENCE, type BackendChoice } from './backend/resolve-backend.js';
export * from './errors/rlhf-error.js';
export * from './errors/tensor-errors.js';
export { Tensor, type GradNode, type TensorLike } from './tensor/tensor.js';
export { tidy, noGrad, keep, type TensorContainer } from './tensor/engine.js';
export { memoryInfo } from './tensor/memory.js';
export { broadcastShapes, sizeOf } from './tensor/shape-utils.js';
export * from './ops/index.js';
export { Random, type RandomState } from './random/random.js';
export { randomNormal, randomUniform, dropout } from './random/random-tensors.js';
export { Module } from './nn/module.js';
export { ModuleList } from './nn/module-list.js';
export { Linear, type LinearConfig, type LinearAdapter } from './nn/linear.js';
export { Embedding } from './nn/embedding.js';
export { RMSNorm, LayerNorm } from './nn/norms.js';
export { Dropout } from './nn/dropout.js';
export { rotaryTables, rotateHalf, applyRotary, type RotaryTables } from './nn/rotary.js';
export {
  CausalSelfAttention,
  scaledDotProductAttention,
  causalMask,
  paddingMask,
  MASKED_SCORE,
  type AttentionConfig,
  type KeyValueCache,
} from './nn/attention.js';
export { SwiGLUMLP, GeluMLP } from './nn/mlp.js';
export { AdamW, type AdamWOptions, type AdamWState, type ParamGroup } from './optim/adamw.js';
export { decayGroups } from './optim/param-groups.js';
export { clipGradNorm } from './optim/clip-grad-norm.js';
export {
  constantSchedule,
  linearSchedule,
  cosineSchedule,
  type LearningRateSchedule,
  type ScheduleOptions,
} from './optim/schedules.js';
