import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../test-support/cli-harness.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

describe('rlhf export-trl', () => {
  it('writes a TRL script that compiles, with every option under its TRL name, an Accelerate config and a converted model', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rlhf-trl-'));
    const config = join(root, 'pipeline.json');
    writeFileSync(
      config,
      JSON.stringify({
        model: {
          format: 'llama2c',
          checkpoint: join(repo, 'data/models/stories260K/stories260K.bin'),
          tokenizer: join(repo, 'data/models/stories260K/tok512.bin'),
        },
        sft_data: join(repo, 'data/demo/en/sft.jsonl'),
        preference_data: join(repo, 'data/demo/en/preferences.jsonl'),
        sft_config: { so_vong: 2, learning_rate: 1e-3, max_length: 96, lora: { r: 4, lora_alpha: 8 } },
        reward_config: { toc_do_hoc: 1e-4, kich_thuoc_batch: 4 },
        dpo_config: { beta: 0.2, gradient_accumulation: 2, gradient_clip: 0.5, chat_template: '{{ x }}' },
      }),
    );
    const out = join(root, 'trl');
    const r = await runCliCaptured(['export-trl', '--config', config, '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout.trim().split('\n').pop() as string);
    expect(result).toEqual({
      out,
      script: join(out, 'train_trl.py'),
      accelerate_config: join(out, 'accelerate_config.yaml'),
      model: join(out, 'model'),
      trl_version: '0.24',
    });
    expect(existsSync(join(out, 'model', 'config.json'))).toBe(true);
    const script = readFileSync(result.script, 'utf8');
    const block = (name: string) =>
      script.slice(script.indexOf(`${name} = dict(`), script.indexOf(')', script.indexOf(`${name} = dict(`)));
    expect(block('SFT_ARGS')).toContain('    num_train_epochs=2,  # so_vong');
    expect(block('SFT_ARGS')).toContain('    learning_rate=0.001,  # toc_do_hoc');
    expect(block('SFT_ARGS')).toContain('    max_length=96,  # max_seq_length');
    expect(block('SFT_ARGS')).toContain('    per_device_train_batch_size=4,  # kich_thuoc_batch'); // SFT's default
    expect(block('SFT_ARGS')).not.toContain('assistant_only_loss'); // the data has no { messages }
    expect(script).toContain('# not exported: assistant_only_loss');
    expect(script).toContain('SFT_LORA = LoraConfig(task_type="CAUSAL_LM", **{"r": 4, "lora_alpha": 8})');
    expect(block('REWARD_ARGS')).toContain('    learning_rate=0.0001,  # toc_do_hoc');
    expect(block('DPO_ARGS')).toContain('    beta=0.2,');
    expect(block('DPO_ARGS')).toContain('    gradient_accumulation_steps=2,  # gradient_accumulation');
    expect(block('DPO_ARGS')).toContain('    max_grad_norm=0.5,  # gradient_clip');
    expect(script).toContain('CHAT_TEMPLATE = "{{ x }}"');
    expect(script).toContain(`MODEL = ${JSON.stringify(join(out, 'model'))}`);
    // The script is valid Python (python3 -m py_compile).
    const compiled = spawnSync('python3', ['-m', 'py_compile', result.script], { encoding: 'utf8' });
    expect(compiled.status, compiled.stderr).toBe(0);
    expect(readFileSync(result.accelerate_config, 'utf8')).toContain('num_processes: 1');
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('| sft | toc_do_hoc | learning_rate | `0.001` |');
    // A finished export needs --overwrite.
    expect((await runCliCaptured(['export-trl', '--config', config, '--out', out])).code).not.toBe(0);
    expect((await runCliCaptured(['export-trl', '--config', config, '--out', out, '--overwrite'])).code).toBe(0);
  });

  it('the demo config exports and compiles', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rlhf-trl-demo-')), 'trl');
    const r = await runCliCaptured(['export-trl', '--config', 'data/demo/en/pipeline.json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('accelerate launch --config_file');
    const compiled = spawnSync('python3', ['-m', 'py_compile', join(out, 'train_trl.py')], { encoding: 'utf8' });
    expect(compiled.status, compiled.stderr).toBe(0);
  });
});
