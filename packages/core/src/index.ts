/**
 * `@rlhf/core`: tensors over a pluggable backend, reverse-mode autodiff, neural-network modules,
 * optimisers and schedules — the backend-agnostic foundation of every `@rlhf` package.
 *
 * @packageDocumentation
 */
export {
  type BackendFactory,
  backendNames,
  KNOWN_BACKENDS,
  registerBackend,
  UnknownBackendError,
} from './backend/backend-registry.js';
export * from './backend/backend-spec.js';
export {
  BACKEND_PREFERENCE,
  type BackendChoice,
  type BackendImporter,
  BackendNotInstalledError,
  resolveBackend,
  toBackend,
} from './backend/resolve-backend.js';
export { FileSystemError, fsCall } from './errors/file-system-error.js';
export * from './errors/rlhf-error.js';
export * from './errors/tensor-errors.js';
export { DataFileError, type FileRecords, parseRecords } from './io/parse-records.js';
export { readRecordsFrom } from './io/read-records-from.js';
export { type ByteSource, readSource, SourceReadError } from './io/read-source.js';
export {
  type AttentionConfig,
  attendWithCache,
  type CachedAttention,
  CausalSelfAttention,
  causalMask,
  extendCache,
  type KeyValueCache,
  MASKED_SCORE,
  paddingMask,
  scaledDotProductAttention,
  windowAttention,
} from './nn/attention.js';
export { Dropout } from './nn/dropout.js';
export { Embedding } from './nn/embedding.js';
export { Linear, type LinearAdapter, type LinearConfig } from './nn/linear.js';
export { GeluMLP, SwiGLUMLP } from './nn/mlp.js';
export { type AdapterMerge, type CopyParametersOptions, Module, type ParameterValues } from './nn/module.js';
export { ModuleList } from './nn/module-list.js';
export { LayerNorm, RMSNorm } from './nn/norms.js';
export { applyRotary, type RotaryTables, rotaryTables, rotaryTablesAt } from './nn/rotary.js';
export * from './ops/index.js';
export { AdamW, type AdamWOptions, type AdamWState, type ParamGroup } from './optim/adamw.js';
export { clipGradNorm } from './optim/clip-grad-norm.js';
export { decayGroups } from './optim/param-groups.js';
export {
  constantSchedule,
  cosineSchedule,
  type LearningRateSchedule,
  linearSchedule,
  type ScheduleOptions,
} from './optim/schedules.js';
export { Random, type RandomState } from './random/random.js';
export { dropout, randomNormal, randomUniform } from './random/random-tensors.js';
export { keep, noGrad, type TensorContainer, tidy } from './tensor/engine.js';
export { memoryInfo } from './tensor/memory.js';
export { type ReplayableStep, replayable } from './tensor/replayable.js';
export { broadcastShapes, shapesEqual, sizeOf } from './tensor/shape-utils.js';
export { type GradNode, Tensor, type TensorLike } from './tensor/tensor.js';
export { BaseTrainer, type FitArguments, minOf, type TrainerStats } from './trainer/base-trainer.js';
export { boundText, MAX_CHARS_PER_TOKEN } from './trainer/bound-text.js';
export {
  describeArgument,
  requireCallback,
  requireModel,
  requireRecords,
  requireTokenizer,
} from './trainer/check-arguments.js';
// Checkpoint files, metric windows, history records and the progress counter are also used by trainers with
// their own loop (the online trainers of @rlhf/grpo), so they are public.
export {
  type CheckpointTensor,
  type LoadedCheckpoint,
  type LogWindow,
  readCheckpoint,
  restoreTensors,
  saveCheckpoint,
  type TensorCodec,
  type TrainerStateFile,
} from './trainer/checkpoint.js';
export { CheckpointError } from './trainer/checkpoint-error.js';
export {
  type CheckpointFiles,
  type CheckpointStorage,
  checkpointName,
  MemoryCheckpointStorage,
  withCheckpointLimit,
} from './trainer/checkpoint-storage.js';
export { ConfigError } from './trainer/config-error.js';
export { canonicalJson, sha256Hex } from './trainer/fingerprint.js';
export {
  type AccumulatedMetric,
  accumulateMetrics,
  finishMetrics,
  type MetricAccumulator,
} from './trainer/metric-accumulator.js';
export {
  type MicroBatchPosition,
  NonFiniteError,
  type NonFiniteQuantity,
  type NonFiniteSite,
} from './trainer/non-finite-error.js';
export {
  aliasesOf,
  type CanonicalOptions,
  canonicalOptionKey,
  canonicalOptions,
  OptionSpellingError,
  TRL_OPTION_ALIASES,
  type TrlOptionAlias,
} from './trainer/option-aliases.js';
export {
  described,
  type NumberBounds,
  type OptionConfig,
  type OptionSpec,
  type OptionSpecs,
  type OptionValues,
  option,
  resolveOptions,
  type TrlAliasConfig,
} from './trainer/option-schema.js';
export { type Checkpointing, resolveCheckpointing } from './trainer/resolve-storage.js';
export {
  type LrSchedulerType,
  type TrainerConfig,
  type TrainerDefaultKey,
  type TrainerDefaults,
  type TrainerOptionSpecs,
  type TrainerOptions,
  trainerOptionSpecs,
} from './trainer/trainer-options.js';
export { TrainingDataError } from './trainer/training-data-error.js';
export {
  appendRecord,
  type EvalLogRecord,
  type LogRecord,
  type TrainingHistory,
  type TrainLogRecord,
} from './trainer/training-history.js';
export {
  type EpochPlan,
  runTrainingLoop,
  type TrainerCallback,
  type TrainingLoopSetup,
} from './trainer/training-loop.js';
export { emptyProgress, type TrainingProgress } from './trainer/training-progress.js';
export type {
  BatchMeasure,
  MetricReduction,
  TaskLoss,
  TaskMetric,
  TaskState,
  TrainingTask,
} from './trainer/training-task.js';
