import { OptionSpellingError, TRL_OPTION_ALIASES } from '@rlhf/core';
import { expectTypedError } from '@rlhf/core/testing';
import { describe, expect, it } from 'vitest';
import { STAGE_SPECS, TRL_EXPORT, type TrlStage, trlStageArgs } from './trl-mapping.js';
import { pythonLiteral } from './trl-script.js';

const stages: TrlStage[] = ['sft', 'reward', 'dpo'];
const reverse = Object.fromEntries(Object.entries(TRL_OPTION_ALIASES).map(([trl, ours]) => [ours, trl]));

describe("export-trl: our option names to TRL's", () => {
  it.each(stages)('every option of the %s trainer has exactly one export rule', (stage) => {
    expect(Object.keys(TRL_EXPORT[stage]).sort()).toEqual(Object.keys(STAGE_SPECS[stage].specs).sort());
  });

  it.each(stages)("the %s rules rename through the one alias table (TRL's name, or the same name)", (stage) => {
    for (const [key, rule] of Object.entries(TRL_EXPORT[stage]))
      if (rule.kind === 'arg') expect(rule.name, key).toBe(reverse[key] ?? key);
  });

  it('maps every option of a full SFT config to its TRL argument and value', () => {
    const { args, skipped } = trlStageArgs('sft', {
      so_vong: 2,
      kich_thuoc_batch: 16,
      toc_do_hoc: 3e-4,
      gradient_accumulation: 2,
      gradient_clip: 0.5,
      warmup_ratio: 0.05,
      weight_decay: 0.1,
      logging_steps: 7,
      seed: 3,
      max_steps: 100,
      lr_scheduler_type: 'constant',
      eval_on_start: true,
      save_steps: 0,
      save_total_limit: 2,
      max_seq_length: 256,
      packing: true,
      completion_only_loss: false,
      assistant_only_loss: false,
      skip_nonfinite_steps: true,
      lora: { r: 8, lora_alpha: 16 },
    });
    expect(Object.fromEntries(args.map((a) => [a.name, a.value]))).toEqual({
      num_train_epochs: 2,
      per_device_train_batch_size: 16,
      learning_rate: 3e-4,
      gradient_accumulation_steps: 2,
      max_grad_norm: 0.5,
      warmup_ratio: 0.05,
      weight_decay: 0.1,
      logging_steps: 7,
      seed: 3,
      max_steps: 100,
      lr_scheduler_type: 'constant_with_warmup',
      eval_on_start: true,
      save_strategy: 'no',
      save_total_limit: 2,
      max_length: 256,
      packing: true,
      completion_only_loss: false,
      assistant_only_loss: false,
    });
    expect(skipped.map((s) => s.key)).toEqual(['skip_nonfinite_steps']);
    expect(trlStageArgs('sft', { lora: { r: 8, lora_alpha: 16 } }).lora).toEqual({ r: 8, lora_alpha: 16 });
  });

  it("fills in our defaults, not TRL's (SFT's toc_do_hoc 2e-5, DPO's beta 0.1), and maps DPO's own keys", () => {
    const sft = Object.fromEntries(trlStageArgs('sft', {}).args.map((a) => [a.name, a.value]));
    expect(sft.learning_rate).toBe(2e-5);
    expect(sft.num_train_epochs).toBe(3);
    expect(sft.save_steps).toBe(500);
    const dpo = Object.fromEntries(
      trlStageArgs('dpo', {
        beta: 0.2,
        label_smoothing: 0.1,
        loss_type: 'ipo',
        max_prompt_length: 64,
        precompute_ref_log_probs: true,
        max_seq_length: 128,
      }).args.map((a) => [a.name, a.value]),
    );
    expect(dpo).toMatchObject({
      beta: 0.2,
      label_smoothing: 0.1,
      loss_type: 'ipo',
      max_prompt_length: 64,
      precompute_ref_log_probs: true,
      max_length: 128,
    });
    const reward = trlStageArgs('reward', { center_rewards_coefficient: 0.01, scoring_batch_size: 4 });
    expect(reward.args.find((a) => a.name === 'center_rewards_coefficient')?.value).toBe(0.01);
    expect(reward.skipped.map((s) => s.key)).toEqual(['scoring_batch_size']);
  });

  it('exports a loss_type list with its loss_weights and discopop_tau (MPO), and leaves loss_weights out when unset', () => {
    const mpo = Object.fromEntries(
      trlStageArgs('dpo', { loss_type: ['sigmoid', 'bco_pair', 'sft'], loss_weights: [0.8, 0.2, 1] }).args.map((a) => [
        a.name,
        a.value,
      ]),
    );
    expect(mpo).toMatchObject({
      loss_type: ['sigmoid', 'bco_pair', 'sft'],
      loss_weights: [0.8, 0.2, 1],
      discopop_tau: 0.05,
    });
    expect(pythonLiteral(mpo.loss_type)).toBe('["sigmoid", "bco_pair", "sft"]');
    const plain = trlStageArgs('dpo', { loss_type: 'discopop', discopop_tau: 0.1 }).args;
    expect(plain.find((a) => a.name === 'loss_weights')).toBeUndefined();
    expect(plain.find((a) => a.name === 'discopop_tau')?.value).toBe(0.1);
  });

  it("accepts TRL's names in the config and refuses both spellings", async () => {
    const args = trlStageArgs('sft', { learning_rate: 1e-3, num_train_epochs: 4 }).args;
    expect(args.find((a) => a.name === 'learning_rate')).toEqual({
      name: 'learning_rate',
      value: 1e-3,
      from: 'toc_do_hoc',
    });
    expect(args.find((a) => a.name === 'num_train_epochs')?.value).toBe(4);
    await expectTypedError(() => trlStageArgs('dpo', { toc_do_hoc: 1e-3, learning_rate: 1e-4 }), {
      type: OptionSpellingError,
      code: 'CONFIG_BOTH_SPELLINGS',
      mentions: ['DPOTrainer', 'toc_do_hoc', 'learning_rate'],
    });
  });

  it('writes Python literals', () => {
    expect(pythonLiteral({ a: [true, false, null], b: 'x"y', c: 1e-5 })).toBe(
      '{"a": [True, False, None], "b": "x\\"y", "c": 0.00001}',
    );
  });
});
