import { join } from 'node:path';
import { type RewardFunction, rewardModelReward } from '@rlhf/grpo';
import { loadRewardModule, runOnlineCommand } from '@rlhf/grpo/node';
import { loadModel } from '@rlhf/models/node';
import { loadRewardModel } from '@rlhf/reward/node';
import { type ParsedArgs, stringFlag, UsageError } from '../args.js';
import { cliBackend } from '../cli-backend.js';
import { commandFlags } from '../command-specs.js';
import type { CommandOutput } from '../output.js';
import { progressBar, recordFigures } from '../progress.js';
import { trainingOptions } from '../training-flags.js';

/** Keys that would name code or a model to load: accepted only as command-line flags, never from `--config`. */
const FLAG_ONLY_KEYS = ['reward_module', 'reward_model', 'reward_funcs'];

const optionalString = (args: ParsedArgs, name: string): string | null => {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : null;
};

/**
 * `rlhf grpo|rloo --model DIR --prompts FILE --out DIR (--reward-model DIR | --reward-module FILE.mjs)
 * [--ref-model DIR] [--overwrite] [--config FILE] [--<option> VALUE ...]`: online RL. The reward module is
 * imported only from the path given on the command line; a config file naming one is refused.
 */
async function onlineCommand(method: 'grpo' | 'rloo', args: ParsedArgs, out: CommandOutput): Promise<void> {
  const options = await trainingOptions(args, commandFlags(method));
  for (const key of FLAG_ONLY_KEYS)
    if (Object.hasOwn(options, key))
      throw new UsageError(
        `'${key}' cannot come from --config or an option: give the reward on the command line (--reward-module FILE.mjs, --reward-model DIR); code is loaded only from a path you type.`,
      );
  const rewardModelDir = optionalString(args, 'reward-model');
  const rewardModulePath = optionalString(args, 'reward-module');
  if (rewardModelDir === null && rewardModulePath === null)
    throw new UsageError(`rlhf ${method} needs a reward: --reward-model DIR and/or --reward-module FILE.mjs.`);
  const dir = stringFlag(args, 'out');
  const backendFlag = args.flags.get('backend');
  const backend = await cliBackend(typeof backendFlag === 'string' ? backendFlag : undefined);
  const modelDir = stringFlag(args, 'model');
  const model = await loadModel(modelDir, { backend });
  const refDir = optionalString(args, 'ref-model');
  const rewards: RewardFunction[] = [];
  if (rewardModelDir !== null) rewards.push(rewardModelReward(await loadRewardModel(rewardModelDir, { backend })));
  if (rewardModulePath !== null) rewards.push(await loadRewardModule(rewardModulePath));
  const bar = progressBar(process.stderr, method);
  let finished = false;
  try {
    const { result } = await runOnlineCommand({
      method,
      model,
      ref_model: refDir ? await loadModel(refDir, { backend }) : null,
      prompts: stringFlag(args, 'prompts'),
      reward_funcs: rewards,
      options,
      out: dir,
      overwrite: args.flags.has('overwrite'),
      inputs: [modelDir, ...(refDir ? [refDir] : []), ...(rewardModelDir ? [rewardModelDir] : [])],
      history_file: join(dir, 'history.jsonl'),
      on_record: (r, progress) => bar.update({ step: r.step, total: progress?.total_steps ?? 0, ...recordFigures(r) }),
    });
    finished = true;
    bar.finish('done');
    out.result(
      result,
      `${method.toUpperCase()} done: ${result.global_step} steps, mean reward ${result.initial_reward.toFixed(4)} → ${result.final_reward.toFixed(4)}; model saved to ${dir}.`,
    );
  } finally {
    if (!finished) bar.finish('stopped');
  }
}

/**
 * `rlhf grpo`: GRPOTrainer on a prompts file with a reward model and/or a reward module.
 *
 * @example
 * ```sh
 * rlhf grpo --model runs/sft --prompts prompts.jsonl --reward-module reward.mjs --out runs/grpo --json
 * ```
 */
export async function grpoCommand(args: ParsedArgs, out: CommandOutput): Promise<void> {
  await onlineCommand('grpo', args, out);
}

/**
 * `rlhf rloo`: RLOOTrainer on a prompts file with a reward model and/or a reward module.
 *
 * @example
 * ```sh
 * rlhf rloo --model runs/sft --prompts prompts.jsonl --reward-model runs/rm --out runs/rloo --json
 * ```
 */
export async function rlooCommand(args: ParsedArgs, out: CommandOutput): Promise<void> {
  await onlineCommand('rloo', args, out);
}
