import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, InvalidArgumentError, OptionSpellingError } from '@rlhf/core';
import { expectTypedError } from '@rlhf/core/testing';
import { generateText } from '@rlhf/models';
import { loadModel } from '@rlhf/models/node';
import { RLHFPipeline, resolvePipelineConfig } from '@rlhf/pipeline';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectCliError, runCliCaptured } from './test-support/cli-harness.js';

const data = fileURLToPath(new URL('../../../data/models/stories260K/', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'rlhf-surface-bad-'));
const model = join(root, 'base');
const sft = join(root, 'sft.jsonl');
writeFileSync(sft, `${JSON.stringify({ prompt: 'Lily went out.', completion: ' She was happy.' })}\n`);

beforeAll(async () => {
  const argv = [
    'convert',
    'llama2c',
    '--model',
    join(data, 'stories260K.bin'),
    '--tokenizer',
    join(data, 'tok512.bin'),
  ];
  expect((await runCliCaptured([...argv, '--out', model])).code).toBe(0);
});

const sftArgv = (...extra: string[]) => ['sft', '--model', model, '--data', sft, '--out', join(root, 'o'), ...extra];

describe('bad input: the CLI surface (help, flag spellings, TRL aliases, generation options)', () => {
  it('help of an unknown command is a usage error naming it and listing the commands', async () => {
    for (const argv of [
      ['help', 'tarin'],
      ['tarin', '--help'],
    ]) {
      const r = await runCliCaptured(argv);
      expectCliError(r, { code: 'USAGE', mentions: ["'tarin'", 'export-trl'] });
      expect(r.code).toBe(2);
    }
  });

  it('both spellings of one option as flags: a typed error naming both, nothing written', async () => {
    expectCliError(await runCliCaptured(sftArgv('--toc-do-hoc', '1e-3', '--learning_rate', '1e-4')), {
      code: 'CONFIG_BOTH_SPELLINGS',
      mentions: ['SFTTrainer', "'toc_do_hoc'", "'learning_rate'"],
    });
  });

  it('both spellings in one --config file: a typed error naming both', async () => {
    const config = join(root, 'both.json');
    writeFileSync(config, JSON.stringify({ so_vong: 1, num_train_epochs: 2 }));
    expectCliError(await runCliCaptured(sftArgv('--config', config)), {
      code: 'CONFIG_BOTH_SPELLINGS',
      mentions: ["'so_vong'", "'num_train_epochs'"],
    });
  });

  it('a bad value under a TRL alias names the key and the alias', async () => {
    expectCliError(await runCliCaptured(sftArgv('--learning-rate', '-1')), {
      code: 'CONFIG_INVALID',
      mentions: ["'toc_do_hoc' = -1", "given as 'learning_rate'"],
    });
    expectCliError(await runCliCaptured(sftArgv('--num_train_epochs', '0')), {
      code: 'CONFIG_INVALID',
      mentions: ["'so_vong' = 0", "given as 'num_train_epochs'"],
    });
    expectCliError(await runCliCaptured(sftArgv('--per-device-train-batch-size', '"8"')), {
      code: 'CONFIG_INVALID',
      mentions: ["'kich_thuoc_batch'", "given as 'per_device_train_batch_size'"],
    });
  });

  it('export-trl refuses both spellings and bad alias values in the pipeline file before writing', async () => {
    const config = join(root, 'pipeline.json');
    const base = { model, sft_data: sft, preference_data: sft };
    writeFileSync(config, JSON.stringify({ ...base, dpo_config: { beta: 0.1, max_length: 64, max_seq_length: 64 } }));
    expectCliError(await runCliCaptured(['export-trl', '--config', config, '--out', join(root, 't1')]), {
      code: 'CONFIG_BOTH_SPELLINGS',
      mentions: ['DPOTrainer', "'max_seq_length'", "'max_length'"],
    });
    writeFileSync(config, JSON.stringify({ ...base, reward_config: { max_grad_norm: -2 } }));
    expectCliError(await runCliCaptured(['export-trl', '--config', config, '--out', join(root, 't2')]), {
      code: 'CONFIG_INVALID',
      mentions: ['RewardModel', "'gradient_clip' = -2", "given as 'max_grad_norm'"],
    });
  });

  it('the pipeline refuses both spellings in a stage config', async () => {
    await expectTypedError(() => new RLHFPipeline({ sft_config: { toc_do_hoc: 1e-3, learning_rate: 1e-4 } }), {
      type: OptionSpellingError,
      mentions: ['RLHFPipeline.sft_config', "'toc_do_hoc'", "'learning_rate'"],
    });
    await expectTypedError(() => new RLHFPipeline({ dpo_config: { num_train_epochs: 0 } }), {
      type: ConfigError,
      mentions: ["'so_vong' = 0", "given as 'num_train_epochs'"],
    });
  });

  it("the pipeline's generation options: camelCase accepted, both spellings and unknown keys refused", async () => {
    expect(resolvePipelineConfig({ eval_generation: { maxNewTokens: 5, top_k: 3 } }).eval_generation).toMatchObject({
      max_new_tokens: 5,
      top_k: 3,
    });
    await expectTypedError(() => new RLHFPipeline({ eval_generation: { max_new_tokens: 5, maxNewTokens: 6 } }), {
      type: OptionSpellingError,
      mentions: ['RLHFPipeline.eval_generation', "'max_new_tokens'", "'maxNewTokens'"],
    });
    await expectTypedError(() => new RLHFPipeline({ eval_generation: { max_tokens: 5 } as never }), {
      type: ConfigError,
      mentions: ['RLHFPipeline.eval_generation', "'max_tokens'", 'unknown option'],
    });
  });

  it('an unknown generation option is an error naming it; both spellings too', async () => {
    const lm = await loadModel(model);
    await expectTypedError(() => generateText(lm, ['Lily'], { maxTokens: 3 } as never), {
      type: InvalidArgumentError,
      mentions: ['generateText', 'maxTokens', 'is not a generation option'],
    });
    await expectTypedError(() => generateText(lm, ['Lily'], { max_new_tokens: 3, maxNewTokens: 4 }), {
      type: InvalidArgumentError,
      mentions: ['maxNewTokens', "also as 'max_new_tokens'"],
    });
    const [ok] = await generateText(lm, ['Lily'], { max_new_tokens: 3, temperature: 0 });
    expect(ok?.generated_ids).toHaveLength(3);
  });
});
