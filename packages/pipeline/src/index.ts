/**
 * `@rlhf/pipeline`: the specification's `RLHFPipeline` — SFT, reward model, DPO and an evaluation with the trained
 * reward model, with atomic stage checkpoints and resume.
 *
 * @packageDocumentation
 */

export {
  compareResponses,
  type EvaluationResult,
  type EvaluationSample,
  type GeneratedResponses,
  generateResponseSet,
  generateResponses,
} from './evaluation.js';
export { openStageStore } from './open-stage-store.js';
export {
  type EvalGenerationConfig,
  type EvalGenerationInput,
  PIPELINE_OPTION_SPECS,
  type PipelineOptions,
  type RLHFPipelineConfig,
  resolvePipelineConfig,
} from './pipeline-config.js';
export {
  type PipelineEvent,
  type PipelineResults,
  type PipelineStats,
  RLHFPipeline,
  type StageModelHook,
} from './rlhf-pipeline.js';
export { type StageArtifact, type StageName, StageStore } from './stage-store.js';
