/**
 * `@rlhf/sft/node`: the Node-only parts of `@rlhf/sft` — reading JSON / JSONL data files and the core of
 * the `rlhf sft` command.
 *
 * @packageDocumentation
 */
export { DataFileError, type FileRecords, readRecords } from '@rlhf/core/node';
export { runSftCommand, type SftCommandArgs, type SftCommandResult } from './node/run-sft-command.js';
