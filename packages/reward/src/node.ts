/// <reference types="node" />
/**
 * `@rlhf/reward/node`: the Node-only parts of `@rlhf/reward` — saving and loading reward models as
 * Hugging Face directories, reading texts files, and the cores of the `rlhf reward` and `rlhf score`
 * commands.
 *
 * @packageDocumentation
 */

export { readTextsFile } from './node/read-texts-file.js';
export { type LoadRewardModelOptions, loadRewardModel, saveRewardModel } from './node/reward-model-directory.js';
export {
  type RewardCommandArgs,
  type RewardCommandResult,
  runRewardCommand,
  type SkippedRewardRecord,
} from './node/run-reward-command.js';
export { runScoreCommand, type ScoreCommandArgs } from './node/run-score-command.js';
