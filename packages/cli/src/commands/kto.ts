import { runKtoCommand } from '@rlhf/kto/node';
import type { ParsedArgs } from '../args.js';
import type { CommandOutput } from '../output.js';
import { runPreferenceTraining } from './train.js';

/**
 * `rlhf kto --model DIR [--ref-model DIR] --data FILE --out DIR [--overwrite] [--skip-invalid] [--config FILE]
 * [--<option> VALUE ...]`: KTOTrainer on `{ prompt, completion, label }` records, or on a file of preference pairs
 * (converted: each pair → one desirable and one undesirable example). Warnings (one class only, weights outside
 * the recommended range, converted pairs, skipped records) go to stderr. Result: the `huan_luyen` result.
 *
 * @example
 * ```sh
 * rlhf kto --model runs/sft --data data/feedback.jsonl --out runs/kto --beta 0.1 --json
 * ```
 */
export async function ktoCommand(args: ParsedArgs, out: CommandOutput): Promise<void> {
  const { value, dir, data } = await runPreferenceTraining(args, out, 'kto', true, runKtoCommand);
  const { result, stats, skipped } = value;
  if (stats.converted_from_pairs)
    out.info(
      `note: ${data} holds preference pairs; each became one desirable and one undesirable example (${stats.desirable} + ${stats.undesirable})`,
    );
  for (const warning of stats.warnings) out.info(`warning: ${warning}`);
  if (skipped.length > 0) out.info(`warning: --skip-invalid left out ${skipped.length} invalid record(s)`);
  out.result(
    result,
    `KTO done: ${result.global_step} steps, final reward margin ${result.final_reward_margin.toFixed(4)}, KL ${result.final_kl.toFixed(4)}; model saved to ${dir}.`,
  );
}
