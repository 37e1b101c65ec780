/**
 * `@rlhf/pipeline`: the seed's `RLHFPipeline` — SFT, reward model, DPO and an evaluation with the trained
 * reward model, with atomic stage checkpoints and resume.
 *
 * @packageDocumentation
 */
export { RLHFPipeline, type PipelineEvent, type PipelineResults, type PipelineStats } from './rlhf-pipeline.js';
export {
  type EvalGenerationConfig,
  type PipelineOptions,
  type RLHFPipelineConfig,
  PIPELINE_OPTION_SPECS,
  resolvePipelineConfig,
} from './pipeline-config.js';
export { compareResponses, generateResponses, type EvaluationResult, type EvaluationSample } from './evaluation.js';
export { StageStore, type StageArtifact, type StageName } from './stage-store.js';
export { openStageStore } from './open-stage-store.js';
