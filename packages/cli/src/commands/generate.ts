import { generateText } from '@rlhf/models';
import { loadAdapter, loadModel } from '@rlhf/models/node';
import { numberFlag, type ParsedArgs, rejectUnknownFlags, stringFlag, UsageError } from '../args.js';
import { cliBackend } from '../cli-backend.js';
import type { CommandOutput } from '../output.js';

/**
 * `rlhf generate --model DIR [--adapter DIR] [--prompt TEXT] [--max-new-tokens N] [--temperature T] [--top-k K]
 * [--top-p P] [--seed S] [--no-cache]`: continues BOS + prompt (with `--adapter`, a PEFT LoRA adapter
 * folder is loaded onto the model first). Result: `{ prompt_ids, generated_ids,
 * text }` (`text` is the generated part only).
 *
 * @example
 * ```sh
 * rlhf generate --model models/stories260K-hf --max-new-tokens 200 --temperature 0 --json
 * ```
 */
export async function generateCommand(args: ParsedArgs, out: CommandOutput): Promise<void> {
  rejectUnknownFlags(args, [
    'model',
    'prompt',
    'max-new-tokens',
    'temperature',
    'top-k',
    'top-p',
    'seed',
    'repetition-penalty',
    'no-cache',
    'adapter',
  ]);
  const backendFlag = args.flags.get('backend');
  const backend = await cliBackend(typeof backendFlag === 'string' ? backendFlag : undefined);
  const model = await loadModel(stringFlag(args, 'model'), { backend });
  if (args.flags.has('adapter')) await loadAdapter(model, stringFlag(args, 'adapter'));
  if (!model.tokenizer) throw new UsageError(`${stringFlag(args, 'model')} has no tokenizer.json.`);
  const [continuation] = await generateText(model, [stringFlag(args, 'prompt', '')], {
    maxNewTokens: numberFlag(args, 'max-new-tokens', 50),
    temperature: numberFlag(args, 'temperature', 1),
    topK: numberFlag(args, 'top-k', 0),
    topP: numberFlag(args, 'top-p', 1),
    repetitionPenalty: numberFlag(args, 'repetition-penalty', 1),
    seed: numberFlag(args, 'seed', 0),
    useCache: !args.flags.has('no-cache'),
  });
  const { prompt_ids, generated_ids, text } = continuation as NonNullable<typeof continuation>;
  out.result({ prompt_ids, generated_ids, text }, text);
}
