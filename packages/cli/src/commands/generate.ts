import { contextLength, generateText } from '@rlhf/models';
import { loadAdapter, loadModel } from '@rlhf/models/node';
import { numberFlag, type ParsedArgs, rejectUnknownFlags, stringFlag, UsageError } from '../args.js';
import { cliBackend } from '../cli-backend.js';
import { commandFlags } from '../command-specs.js';
import type { CommandOutput } from '../output.js';

/**
 * `rlhf generate --model DIR [--adapter DIR] [--prompt TEXT] [--max-new-tokens N] [--temperature T] [--top-k K]
 * [--top-p P] [--seed S] [--no-cache]`: continues BOS + prompt (with `--adapter`, a PEFT LoRA adapter
 * folder is loaded onto the model first). Flags are validated first:
 * `--max-new-tokens` a positive integer, at most the context length (`max_position_embeddings`) minus
 * the prompt's tokens; `--temperature` ≥ 0; `--top-k` an integer ≥ 0; `--top-p` in (0, 1]. Result: `{ prompt_ids, generated_ids,
 * text }` (`text` is the generated part only).
 *
 * @example
 * ```sh
 * rlhf generate --model models/stories260K-hf --max-new-tokens 200 --temperature 0 --json
 * ```
 */
export async function generateCommand(args: ParsedArgs, out: CommandOutput): Promise<void> {
  rejectUnknownFlags(args, commandFlags('generate'));
  // Flags are checked before the model is loaded; the context-length cap needs the model and the prompt.
  const maxNewTokens = numberFlag(args, 'max-new-tokens', 50);
  const temperature = numberFlag(args, 'temperature', 1);
  const topK = numberFlag(args, 'top-k', 0);
  const topP = numberFlag(args, 'top-p', 1);
  const repetitionPenalty = numberFlag(args, 'repetition-penalty', 1);
  const seed = numberFlag(args, 'seed', 0);
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1)
    throw new UsageError(`--max-new-tokens expects a positive integer, got ${maxNewTokens}.`);
  if (temperature < 0) throw new UsageError(`--temperature expects a number ≥ 0 (0 is greedy), got ${temperature}.`);
  if (!Number.isInteger(topK) || topK < 0)
    throw new UsageError(`--top-k expects an integer ≥ 0 (0 turns it off), got ${topK}.`);
  if (!(topP > 0 && topP <= 1))
    throw new UsageError(`--top-p expects a number in (0, 1] (1 turns it off), got ${topP}.`);
  if (!(repetitionPenalty > 0))
    throw new UsageError(`--repetition-penalty expects a number > 0, got ${repetitionPenalty}.`);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed expects an integer, got ${seed}.`);
  const backendFlag = args.flags.get('backend');
  const backend = await cliBackend(typeof backendFlag === 'string' ? backendFlag : undefined, out.notice);
  const modelDir = stringFlag(args, 'model');
  const model = await loadModel(modelDir, { backend });
  if (args.flags.has('adapter')) await loadAdapter(model, stringFlag(args, 'adapter'));
  if (!model.tokenizer) throw new UsageError(`${modelDir} has no tokenizer.json.`);
  const prompt = stringFlag(args, 'prompt', '');
  const promptLength = model.tokenizer.encode(prompt, { addSpecialTokens: true }).length;
  const room = contextLength(model) - promptLength;
  if (maxNewTokens > room)
    throw new UsageError(
      `--max-new-tokens ${maxNewTokens} is more than the model's context allows: at most ${Math.max(0, room)} (max_position_embeddings ${contextLength(model)} of ${modelDir} minus the prompt's ${promptLength} tokens).`,
    );
  const [continuation] = await generateText(model, [prompt], {
    maxNewTokens,
    temperature,
    topK,
    topP,
    repetitionPenalty,
    seed,
    useCache: !args.flags.has('no-cache'),
  });
  const { prompt_ids, generated_ids, text } = continuation as NonNullable<typeof continuation>;
  out.result({ prompt_ids, generated_ids, text }, text);
}
