/**
 * `@rlhf/pipeline`: the specification's `RLHFPipeline` — SFT, reward model, an RL stage (DPO by default, or online
 * GRPO / RLOO rewarded by the trained reward model: `rlhf_method`) and an evaluation with the trained
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
  type RlhfMethodName,
  resolvePipelineConfig,
} from './pipeline-config.js';
export {
  promptsOf,
  RL_STAGE_RUNNERS,
  RLHF_METHODS,
  type RlhfMethod,
  type RlStageInput,
  type RlStageResult,
  type RlStageRunner,
  type RlStageSetup,
} from './rl-stage-runners.js';
export {
  type PipelineEvent,
  type PipelineResults,
  type PipelineStats,
  RLHFPipeline,
  type StageModelHook,
} from './rlhf-pipeline.js';
export { type StageArtifact, type StageName, StageStore } from './stage-store.js';
