/**
 * `@rlhf/core`: tensors over a pluggable backend, reverse-mode autodiff, neural-network modules,
 * optimisers and schedules — the backend-agnostic foundation of every @rlhf package.
 *
 * @packageDocumentation
 */
export * from './backend/backend-spec.js';
export { resolveBackend, toBackend, BackendNotInstalledError, BACKEND_PREFERENCE, type BackendChoice, type BackendImporter } from './backend/resolve-backend.js';
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
export { ConfigError, describeValue } from './trainer/config-error.js';
export { TrainingDataError } from './trainer/training-data-error.js';
export { CheckpointError } from './trainer/checkpoint-error.js';
export { option, resolveOptions, type OptionSpec, type OptionSpecs, type OptionValues } from './trainer/option-schema.js';
export {
  trainerOptionSpecs,
  type TrainerConfig,
  type TrainerOptions,
  type TrainerDefaults,
  type TrainerOptionSpecs,
  type LrSchedulerType,
} from './trainer/trainer-options.js';
export {
  appendRecord,
  cloneHistory,
  emptyHistory,
  type EvalLogRecord,
  type LogRecord,
  type TrainLogRecord,
  type TrainingHistory,
} from './trainer/training-history.js';
export type { BatchMeasure, TaskLoss, TrainingTask } from './trainer/training-task.js';
export { emptyProgress, type TrainingProgress } from './trainer/training-progress.js';
export {
  MemoryCheckpointStorage,
  checkpointName,
  type CheckpointFiles,
  type CheckpointStorage,
} from './trainer/checkpoint-storage.js';
export {
  readCheckpoint,
  restoreTensors,
  saveCheckpoint,
  type CheckpointTensor,
  type LoadedCheckpoint,
  type LogWindow,
  type TensorCodec,
  type TrainerStateFile,
} from './trainer/checkpoint.js';
export { latestCheckpoint, resolveCheckpointing } from './trainer/resolve-storage.js';
export { planEpochs, runTrainingLoop, type EpochPlan, type TrainerCallback, type TrainingLoopSetup } from './trainer/training-loop.js';
export { BaseTrainer, minOf, type FitArguments, type TrainerStats } from './trainer/base-trainer.js';
