/**
 * `@rlhf/cli`: the `rlhf` command line (convert, generate, sft, reward, score, dpo, pipeline, bench).
 *
 * @packageDocumentation
 */
export { runCli, type CliIO } from './run-cli.js';
export { parseArgs, UsageError, type ParsedArgs } from './args.js';
