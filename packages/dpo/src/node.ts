/**
 * `@rlhf/dpo/node`: the Node-only parts of `@rlhf/dpo` — reading preference files (JSON / JSONL, gzip) and
 * the core of the `rlhf dpo` command.
 *
 * @packageDocumentation
 */
export {
  type PreferenceFile,
  PreferenceFileError,
  type ReadPreferenceFileOptions,
  readPreferenceFile,
} from '@rlhf/preference-data/node';
export { type DpoCommandArgs, type DpoCommandResult, runDpoCommand, type SkippedLine } from './node/run-dpo-command.js';
