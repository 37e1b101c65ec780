import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertLlama2c } from '@rlhf/models';
import { writeHfDirectory } from '@rlhf/models/node';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectCliError, runCliCaptured } from '../test-support/cli-harness.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'rlhf-lora-bad-'));
const base = join(root, 'base');
const data = join(root, 'sft.jsonl');

beforeAll(async () => {
  const dir = join(repo, 'data/models/stories260K');
  await writeHfDirectory(
    base,
    convertLlama2c(readFileSync(join(dir, 'stories260K.bin')), readFileSync(join(dir, 'tok512.bin'))),
  );
  writeFileSync(data, `${JSON.stringify({ prompt: 'Once upon a time', completion: ' there was a cat.' })}\n`);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** An adapter folder holding `config` as adapter_config.json and no weights unless given. */
function adapterFolder(name: string, config: string, weights?: Uint8Array): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'adapter_config.json'), config);
  if (weights) writeFileSync(join(dir, 'adapter_model.safetensors'), weights);
  return dir;
}

const sft = (...extra: string[]) => [
  'sft',
  '--model',
  base,
  '--data',
  data,
  '--out',
  join(root, 'out'),
  '--backend',
  'js',
  ...extra,
];
const gen = (...extra: string[]) => ['generate', '--model', base, '--max-new-tokens', '2', '--backend', 'js', ...extra];

describe('bad input: LoRA on the command line', () => {
  it('cli lora: --merge-lora without --lora', async () => {
    expectCliError(await runCliCaptured(sft('--merge-lora', join(root, 'merged'))), {
      code: 'USAGE',
      mentions: ['--merge-lora', '--lora'],
    });
  });
  it('cli lora: --lora with r 0', async () => {
    expectCliError(await runCliCaptured(sft('--lora', '{"r":0}')), { code: 'CONFIG_INVALID', mentions: ['lora.r'] });
  });
  it('cli lora: --lora naming a layer the model lacks', async () => {
    expectCliError(await runCliCaptured(sft('--lora', '{"r":2,"target_modules":["c_attn"]}')), {
      code: 'LORA',
      mentions: ["'c_attn'", 'matched no linear layer'],
    });
  });
  it('cli adapter: --adapter names a missing folder', async () => {
    const missing = join(root, 'no-such-adapter');
    expectCliError(await runCliCaptured(gen('--adapter', missing)), { code: 'LORA_ADAPTER', mentions: [missing] });
  });
  it('cli adapter: --adapter without a value', async () => {
    expectCliError(await runCliCaptured([...gen(), '--adapter']), { code: 'USAGE', mentions: ['--adapter'] });
  });
  it('cli adapter: adapter_config.json is not JSON', async () => {
    const dir = adapterFolder('bad-json', '{ "peft_type": ', new Uint8Array(16));
    expectCliError(await runCliCaptured(gen('--adapter', dir)), {
      code: 'LORA_ADAPTER',
      mentions: [join(dir, 'adapter_config.json'), 'JSON'],
    });
  });
  it('cli adapter: adapter_model.safetensors missing', async () => {
    const dir = adapterFolder(
      'no-weights',
      JSON.stringify({ peft_type: 'LORA', r: 2, lora_alpha: 4, target_modules: ['q_proj'] }),
    );
    expectCliError(await runCliCaptured(gen('--adapter', dir)), {
      code: 'LORA_ADAPTER',
      mentions: [join(dir, 'adapter_model.safetensors'), 'missing'],
    });
  });
  it('cli adapter: a GPT-2 adapter onto a Llama model', async () => {
    const config = {
      peft_type: 'LORA',
      r: 2,
      lora_alpha: 4,
      target_modules: ['c_attn', 'c_proj'],
      fan_in_fan_out: true,
    };
    const dir = adapterFolder('gpt2-adapter', JSON.stringify(config), new Uint8Array(16));
    expectCliError(await runCliCaptured(gen('--adapter', dir)), {
      code: 'LORA_ADAPTER',
      mentions: ['adapter_config.json', "'c_attn'"],
    });
  });
  it('cli adapter: peft_type PREFIX_TUNING', async () => {
    const dir = adapterFolder(
      'prefix',
      JSON.stringify({ peft_type: 'PREFIX_TUNING', num_virtual_tokens: 20 }),
      new Uint8Array(16),
    );
    expectCliError(await runCliCaptured(gen('--adapter', dir)), {
      code: 'LORA_ADAPTER',
      mentions: ["'peft_type'", 'PREFIX_TUNING'],
    });
  });
  it('cli pipeline: sft_val_data is not a file name', async () => {
    const config = join(root, 'pipeline-bad-val.json');
    writeFileSync(config, JSON.stringify({ model: base, sft_data: data, sft_val_data: 42, preference_data: data }));
    expectCliError(
      await runCliCaptured(['pipeline', '--config', config, '--out', join(root, 'pipe'), '--backend', 'js']),
      {
        code: 'USAGE',
        mentions: [config, "'sft_val_data'"],
      },
    );
  });
});
