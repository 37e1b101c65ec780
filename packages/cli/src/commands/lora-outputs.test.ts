import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJsBackend } from '@rlhf/backend-js';
import { tensor, tidy } from '@rlhf/core';
import { type CausalLM, convertLlama2c } from '@rlhf/models';
import { loadAdapter, loadModel, writeHfDirectory } from '@rlhf/models/node';
import { loadRewardModel } from '@rlhf/reward/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../test-support/cli-harness.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'rlhf-lora-cli-'));
const base = join(root, 'base');
const backend = createJsBackend();
const ids = [1, 403, 261, 378, 30, 291, 9, 87];
const names = ['Lily', 'Tom', 'Sue', 'Ben'];
const lora = JSON.stringify({ r: 4, lora_alpha: 8, target_modules: ['q_proj', 'v_proj', 'o_proj'] });

beforeAll(async () => {
  const dir = join(repo, 'data/models/stories260K');
  await writeHfDirectory(
    base,
    convertLlama2c(readFileSync(join(dir, 'stories260K.bin')), readFileSync(join(dir, 'tok512.bin'))),
  );
  const sft = names.map((n) =>
    JSON.stringify({ prompt: `Once upon a time, ${n} went to the park.`, completion: ` ${n} was happy.` }),
  );
  writeFileSync(join(root, 'sft.jsonl'), sft.join('\n'));
  writeFileSync(join(root, 'val.jsonl'), sft.slice(0, 2).join('\n'));
  const prefs = names.map((n) =>
    JSON.stringify({ prompt: `One day, ${n} saw a dog.`, chosen: ` ${n} smiled.`, rejected: ` ${n} cried.` }),
  );
  writeFileSync(join(root, 'prefs.jsonl'), prefs.join('\n'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function logitsOf(model: CausalLM): Float32Array {
  return tidy(
    () => model.forward(tensor(backend, Int32Array.from(ids), [1, ids.length], 'int32')).logits,
  ).dataSync() as Float32Array;
}
const maxAbsDiff = (a: Float32Array, b: Float32Array): number =>
  a.reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);
const train = ['--kich_thuoc_batch', '2', '--gradient_accumulation', '1', '--max_seq_length', '48', '--backend', 'js'];

/** Runs `rlhf pipeline` on the bundled model and data with `config` on top; returns its `--out` folder. */
async function runPipeline(name: string, config: Record<string, unknown>): Promise<string> {
  const out = join(root, name);
  const configFile = join(root, `${name}.json`);
  writeFileSync(
    configFile,
    JSON.stringify({
      model: base,
      sft_data: join(root, 'sft.jsonl'),
      preference_data: join(root, 'prefs.jsonl'),
      ...config,
    }),
  );
  const run = await runCliCaptured(['pipeline', '--config', configFile, '--out', out, '--backend', 'js', '--json']);
  expect(run.code, run.stderr).toBe(0);
  return out;
}

describe('LoRA from the command line', () => {
  it('rlhf sft --lora writes a PEFT adapter folder, --merge-lora the merged model; generate --adapter loads it', async () => {
    const adapter = join(root, 'sft-adapter');
    const merged = join(root, 'sft-merged');
    const run = await runCliCaptured([
      'sft',
      '--model',
      base,
      '--data',
      join(root, 'sft.jsonl'),
      '--out',
      adapter,
      '--merge-lora',
      merged,
      '--lora',
      lora,
      '--so_vong',
      '2',
      '--toc_do_hoc',
      '0.02',
      ...train,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(adapter).sort()).toEqual([
      '.rlhf-output.json',
      'adapter_config.json',
      'adapter_model.safetensors',
      'history.jsonl',
    ]);
    const config = JSON.parse(readFileSync(join(adapter, 'adapter_config.json'), 'utf8'));
    expect(config).toMatchObject({
      peft_type: 'LORA',
      r: 4,
      lora_alpha: 8,
      base_model_name_or_path: base,
      fan_in_fan_out: false,
    });
    expect(existsSync(join(merged, 'model.safetensors'))).toBe(true);

    const plain = await loadModel(base, { backend });
    const withAdapter = await loadModel(base, { backend });
    await loadAdapter(withAdapter, adapter);
    const mergedModel = await loadModel(merged, { backend });
    expect(maxAbsDiff(logitsOf(withAdapter), logitsOf(plain))).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(logitsOf(withAdapter), logitsOf(mergedModel))).toBeLessThan(1e-5);

    const gen = async (argv: string[]) => {
      const r = await runCliCaptured([
        'generate',
        ...argv,
        '--prompt',
        'Once upon a time',
        '--temperature',
        '0',
        '--max-new-tokens',
        '16',
        '--backend',
        'js',
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout.trim().split('\n').pop() as string).generated_ids as number[];
    };
    expect(await gen(['--model', base, '--adapter', adapter])).toEqual(await gen(['--model', merged]));
  });

  it('rlhf pipeline writes sft/, reward_model/, policy/ as loadable folders and validates on sft_val_data', async () => {
    const out = await runPipeline('pipe', {
      sft_val_data: join(root, 'val.jsonl'),
      sft_config: { so_vong: 1, kich_thuoc_batch: 2, gradient_accumulation: 1, toc_do_hoc: 1e-3, max_seq_length: 48 },
      reward_config: { kich_thuoc_batch: 2, toc_do_hoc: 1e-3, max_seq_length: 48 },
      dpo_config: { kich_thuoc_batch: 2, gradient_accumulation: 1, toc_do_hoc: 1e-3, max_seq_length: 48 },
    });
    for (const dir of ['sft', 'reward_model', 'policy'])
      expect(existsSync(join(out, dir, 'model.safetensors')), dir).toBe(true);
    expect(existsSync(join(out, 'sft_adapter'))).toBe(false);
    const sft = await loadModel(join(out, 'sft'), { backend });
    const policy = await loadModel(join(out, 'policy'), { backend });
    const rm = await loadRewardModel(join(out, 'reward_model'), { backend });
    expect(rm.score.weight.shape).toEqual([1, 64]);
    expect(maxAbsDiff(logitsOf(sft), logitsOf(policy))).toBeGreaterThan(0); // DPO changed the policy
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    const history = results.ket_qua.sft.history;
    expect(history.val_loss.length).toBe(1); // one epoch, validated once on sft_val_data
    expect(history.val_loss[0]).toBeGreaterThan(0);
    expect(results.ket_qua.sft.val_loss_min).toBe(history.val_loss[0]);
  });

  it('rlhf pipeline with LoRA in SFT and DPO also writes the PEFT folders sft_adapter/ and policy_adapter/', async () => {
    const loraConfig = JSON.parse(lora);
    const out = await runPipeline('pipe-lora', {
      sft_config: {
        so_vong: 2,
        kich_thuoc_batch: 2,
        gradient_accumulation: 1,
        toc_do_hoc: 2e-2,
        max_seq_length: 48,
        lora: loraConfig,
      },
      reward_config: { kich_thuoc_batch: 2, toc_do_hoc: 1e-3, max_seq_length: 48 },
      dpo_config: {
        kich_thuoc_batch: 2,
        gradient_accumulation: 1,
        toc_do_hoc: 2e-2,
        max_seq_length: 48,
        lora: loraConfig,
      },
    });
    const plain = await loadModel(base, { backend });
    const sft = await loadModel(join(out, 'sft'), { backend });
    const policy = await loadModel(join(out, 'policy'), { backend });
    await loadRewardModel(join(out, 'reward_model'), { backend });
    // sft_adapter/ on the base model = sft/ (merged)
    const sftAdapted = await loadModel(base, { backend });
    await loadAdapter(sftAdapted, join(out, 'sft_adapter'));
    expect(maxAbsDiff(logitsOf(sft), logitsOf(plain))).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(logitsOf(sftAdapted), logitsOf(sft))).toBeLessThan(1e-5);
    // policy_adapter/ was trained by DPO on the merged SFT model: its base is sft/
    const policyConfig = JSON.parse(readFileSync(join(out, 'policy_adapter', 'adapter_config.json'), 'utf8'));
    expect(policyConfig.base_model_name_or_path).toBe(join(out, 'sft'));
    const policyAdapted = await loadModel(join(out, 'sft'), { backend });
    await loadAdapter(policyAdapted, join(out, 'policy_adapter'));
    expect(maxAbsDiff(logitsOf(policy), logitsOf(sft))).toBeGreaterThan(1e-4);
    expect(maxAbsDiff(logitsOf(policyAdapted), logitsOf(policy))).toBeLessThan(1e-5);
  });

  it('rlhf pipeline whose RL method (orpo) trains LoRA writes policy_adapter/ on the SFT model', async () => {
    const out = await runPipeline('pipe-orpo-lora', {
      rlhf_method: 'orpo',
      sft_config: { so_vong: 1, kich_thuoc_batch: 2, gradient_accumulation: 1, toc_do_hoc: 2e-2, max_seq_length: 48 },
      reward_config: { kich_thuoc_batch: 2, toc_do_hoc: 1e-3, max_seq_length: 48 },
      orpo_config: {
        kich_thuoc_batch: 2,
        gradient_accumulation: 1,
        toc_do_hoc: 2e-2,
        max_seq_length: 48,
        lora: JSON.parse(lora),
      },
    });
    const policyConfig = JSON.parse(readFileSync(join(out, 'policy_adapter', 'adapter_config.json'), 'utf8'));
    expect(policyConfig.base_model_name_or_path).toBe(join(out, 'sft'));
    const policy = await loadModel(join(out, 'policy'), { backend });
    const policyAdapted = await loadModel(join(out, 'sft'), { backend });
    await loadAdapter(policyAdapted, join(out, 'policy_adapter'));
    expect(maxAbsDiff(logitsOf(policyAdapted), logitsOf(policy))).toBeLessThan(1e-5);
  });
});
