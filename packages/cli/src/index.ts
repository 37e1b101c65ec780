/**
 * `@rlhf/cli`: the `rlhf` command line (convert, generate, sft, reward, score, dpo, kto, orpo, cpo, pipeline, bench).
 *
 * @packageDocumentation
 */

export { type ParsedArgs, parseArgs, UsageError } from './args.js';
export { type CliIO, runCli } from './run-cli.js';
