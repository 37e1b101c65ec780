import { readFile } from 'node:fs/promises';
import { fsCall } from '@rlhf/core';
import { withOutputFolder } from '@rlhf/core/node';
import { convertLlama2c, countParameters } from '@rlhf/models';
import { writeHfDirectory } from '@rlhf/models/node';
import { type ParsedArgs, rejectUnknownFlags, stringFlag, UsageError } from '../args.js';
import { commandFlags } from '../command-specs.js';
import type { CommandOutput } from '../output.js';

/**
 * `rlhf convert llama2c --model M.bin --tokenizer T.bin --out DIR [--overwrite]`: a llama2.c checkpoint
 * and tokenizer to a Hugging Face model directory (the output-folder rules of `openOutputFolder` apply). Result: `{ out, parameters }`.
 *
 * @example
 * ```sh
 * rlhf convert llama2c --model stories260K.bin --tokenizer tok512.bin --out models/stories260K-hf --json
 * ```
 */
export async function convertCommand(args: ParsedArgs, out: CommandOutput): Promise<void> {
  const format = args.positional[1];
  if (format !== 'llama2c') throw new UsageError(`convert supports 'llama2c' (got '${format ?? ''}').`);
  rejectUnknownFlags(args, commandFlags('convert'));
  const modelPath = stringFlag(args, 'model');
  const tokenizerPath = stringFlag(args, 'tokenizer');
  const dir = stringFlag(args, 'out');
  const stage = 'rlhf convert: reading the llama2.c files';
  const content = convertLlama2c(
    await fsCall(() => readFile(modelPath), modelPath, 'read', stage),
    await fsCall(() => readFile(tokenizerPath), tokenizerPath, 'read', stage),
    { checkpointName: modelPath, tokenizerName: tokenizerPath },
  );
  const folder = {
    kind: 'model',
    command: `rlhf convert llama2c --out ${dir}`,
    inputs: [modelPath, tokenizerPath],
    overwrite: args.flags.has('overwrite'),
  };
  await withOutputFolder(dir, folder, () => writeHfDirectory(dir, content));
  const parameters = countParameters(content.tensors);
  out.result({ out: dir, parameters }, `Converted ${modelPath} (${parameters} parameters) to ${dir}.`);
}
