/**
 * `@rlhf/grpo/node`: the Node-only parts of `@rlhf/grpo` — loading a reward function from a module path
 * given on the command line, and the core of the `rlhf grpo` / `rlhf rloo` commands.
 *
 * @packageDocumentation
 */
export { loadRewardModule, RewardModuleError } from './node/load-reward-module.js';
export { type OnlineCommandArgs, type OnlineCommandResult, runOnlineCommand } from './node/run-online-command.js';
