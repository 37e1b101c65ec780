import { readFile } from 'node:fs/promises';
import { convertLlama2c, countParameters } from '@rlhf/models';
import { writeHfDirectory } from '@rlhf/models/node';
import { type ParsedArgs, rejectUnknownFlags, stringFlag, UsageError } from '../args.js';
import type { CommandOutput } from '../output.js';

/**
 * `rlhf convert llama2c --model M.bin --tokenizer T.bin --out DIR`: a llama2.c checkpoint and tokenizer
 * to a Hugging Face model directory. Result: `{ out, parameters }`.
 *
 * @example
 * ```sh
 * rlhf convert llama2c --model stories260K.bin --tokenizer tok512.bin --out models/stories260K-hf --json
 * ```
 */
export async function convertCommand(args: ParsedArgs, out: CommandOutput): Promise<void> {
  const format = args.positional[1];
  if (format !== 'llama2c') throw new UsageError(`convert supports 'llama2c' (got '${format ?? ''}').`);
  rejectUnknownFlags(args, ['model', 'tokenizer', 'out']);
  const modelPath = stringFlag(args, 'model');
  const tokenizerPath = stringFlag(args, 'tokenizer');
  const dir = stringFlag(args, 'out');
  const content = convertLlama2c(await readFile(modelPath), await readFile(tokenizerPath), {
    checkpointName: modelPath,
    tokenizerName: tokenizerPath,
  });
  await writeHfDirectory(dir, content);
  const parameters = countParameters(content.tensors);
  out.result({ out: dir, parameters }, `Converted ${modelPath} (${parameters} parameters) to ${dir}.`);
}
