import { join } from 'node:path';
import { attachedLora, type CausalLM, type RewardScoringModel } from '@rlhf/models';
import { saveAdapter, saveModel } from '@rlhf/models/node';
import type { StageModelHook } from '@rlhf/pipeline';
import { saveRewardModel } from '@rlhf/reward/node';

/** The folders `rlhf pipeline` writes under `--out`, one per stage, and their adapter folders (with LoRA). */
export const STAGE_OUTPUTS = {
  sft: { model: 'sft', adapter: 'sft_adapter' },
  reward: { model: 'reward_model', adapter: null },
  dpo: { model: 'policy', adapter: 'policy_adapter' },
} as const;

/**
 * The stage hook of `rlhf pipeline`: after each stage, its model as a Hugging Face folder under `outDir`
 * (`sft/`, `reward_model/`, `policy/`; LoRA adapters merged in, so each loads anywhere as a plain model),
 * and, when the policy carries LoRA adapters, the adapters as a PEFT folder (`sft_adapter/`,
 * `policy_adapter/`). `baseModel` is the base model's name for `adapter_config.json`; `dpoLora` says
 * whether DPO trained its own adapters on the merged SFT model (then `policy_adapter/`'s base is `sft/`).
 *
 * @example
 * ```ts
 * const pipeline = new RLHFPipeline(config, onEvent, stageOutputs('runs/demo', 'models/base', false));
 * ```
 */
export function stageOutputs(outDir: string, baseModel: string, dpoLora: boolean): StageModelHook {
  return async (stage, model) => {
    const names = STAGE_OUTPUTS[stage];
    if (stage === 'reward') {
      await saveRewardModel(model as RewardScoringModel, join(outDir, names.model));
      return;
    }
    const lm = model as CausalLM;
    await saveModel(lm, join(outDir, names.model));
    const lora = attachedLora(lm);
    if (lora && names.adapter) {
      const base = stage === 'dpo' && dpoLora ? join(outDir, STAGE_OUTPUTS.sft.model) : baseModel;
      await saveAdapter(lora, join(outDir, names.adapter), { baseModel: base });
    }
  };
}
