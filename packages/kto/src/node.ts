/**
 * `@rlhf/kto/node`: the Node-only parts of `@rlhf/kto` — reading KTO files (JSON / JSONL, gzip) and the core
 * of the `rlhf kto` command.
 *
 * @packageDocumentation
 */
export { type KtoFile, type ReadKtoFileOptions, readKtoFile } from './node/read-kto-file.js';
export { type KtoCommandArgs, type KtoCommandResult, runKtoCommand } from './node/run-kto-command.js';
