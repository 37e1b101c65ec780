/**
 * `@rlhf/cpo/node`: the Node-only parts of `@rlhf/cpo` — the cores of the `rlhf orpo` and `rlhf cpo`
 * commands (read a preference file, train, save the model and the history).
 *
 * @packageDocumentation
 */
export { type CpoCommandArgs, type CpoCommandResult, runCpoCommand } from './node/run-cpo-command.js';
export { type OrpoCommandArgs, type OrpoCommandResult, runOrpoCommand } from './node/run-orpo-command.js';
export {
  type PreferenceCommandArgs,
  type PreferenceCommandResult,
  runPreferenceCommand,
} from './node/run-preference-command.js';
