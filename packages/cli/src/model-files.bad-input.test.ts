import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertLlama2c, parseSafetensorsHeader } from '@rlhf/models';
import { writeHfDirectory } from '@rlhf/models/node';
import { beforeAll, describe, it } from 'vitest';
import { expectCliError, runCliCaptured, spawnCli } from './test-support/cli-harness.js';

const data = fileURLToPath(new URL('../../../data/', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'rlhf-cli-model-files-'));
const stories = join(root, 'stories260K');
let n = 0;

beforeAll(async () => {
  await writeHfDirectory(
    stories,
    convertLlama2c(
      readFileSync(join(data, 'models/stories260K/stories260K.bin')),
      readFileSync(join(data, 'models/stories260K/tok512.bin')),
    ),
  );
});

function variant(file: string, edit: (json: Record<string, unknown>) => Record<string, unknown>): string {
  const dir = join(root, `case-${n++}`);
  cpSync(stories, dir, { recursive: true });
  writeFileSync(join(dir, file), JSON.stringify(edit(JSON.parse(readFileSync(join(dir, file), 'utf8')))));
  return dir;
}

function nanWeights(tensor: string): string {
  const dir = join(root, `case-${n++}`);
  cpSync(stories, dir, { recursive: true });
  const file = join(dir, 'model.safetensors');
  const bytes = readFileSync(file);
  const header = parseSafetensorsHeader(bytes, file);
  const entry = header.entries.find((e) => e.name === tensor);
  if (!entry) throw new Error(tensor);
  new DataView(bytes.buffer, bytes.byteOffset).setFloat32(header.dataStart + entry.begin, Number.NaN, true);
  writeFileSync(file, bytes);
  return dir;
}

const generate = (dir: string) => runCliCaptured(['generate', '--model', dir, '--max-new-tokens', '2']);

describe('rlhf generate refuses bad model folders with typed errors', () => {
  it.each([
    ['hidden_size 1e9', { hidden_size: 1e9 }, 'MODEL_CONFIG', 'hidden_size'],
    ['vocab_size 2^40', { vocab_size: 2 ** 40 }, 'MODEL_CONFIG', 'vocab_size'],
    ['a 4096-wide config with 1 MB of weights', { hidden_size: 4096 }, 'WEIGHTS_MISMATCH', 'hidden_size'],
    ['rope_theta "fast"', { rope_theta: 'fast' }, 'MODEL_CONFIG', 'rope_theta'],
    ['rms_norm_eps -1', { rms_norm_eps: -1 }, 'MODEL_CONFIG', 'rms_norm_eps'],
    ['eos_token_id 9999', { eos_token_id: 9999 }, 'MODEL_CONFIG', 'eos_token_id'],
  ])('config: rlhf generate with %s', async (_t, patch, code, key) => {
    const dir = variant('config.json', (c) => ({ ...c, ...patch }));
    expectCliError(await generate(dir), { code, mentions: ['config.json', key] });
  });

  it('special tokens: rlhf generate with generation_config.json eos_token_id 600', async () => {
    const dir = variant('generation_config.json', (g) => ({ ...g, eos_token_id: 600 }));
    expectCliError(await generate(dir), { code: 'MODEL_CONFIG', mentions: ['generation_config.json', 'eos_token_id'] });
  });

  it('tokenizer: rlhf generate with a tokenizer whose ids exceed vocab_size', async () => {
    const dir = variant('tokenizer.json', (t) => {
      const model = t.model as { vocab: Record<string, number> };
      return { ...t, model: { ...model, vocab: { ...model.vocab, '<extra>': 4000 } } };
    });
    expectCliError(await generate(dir), {
      code: 'TOKENIZER_VOCAB_MISMATCH',
      mentions: ['tokenizer.json', 'vocab_size'],
    });
  });

  it('tokenizer: rlhf generate with a catastrophic pre-tokenizer regex ends at once (child process)', async () => {
    const dir = variant('tokenizer.json', (t) => ({
      ...t,
      pre_tokenizer: { type: 'Split', pattern: { Regex: '(.*)*x' }, behavior: 'Isolated', invert: false },
    }));
    const run = await spawnCli(['generate', '--model', dir, '--prompt', 'a'.repeat(40), '--max-new-tokens', '1'], {
      timeoutMs: 30_000,
    });
    expectCliError(run, { code: 'TOKENIZER_REGEX_UNSAFE', mentions: ['tokenizer.json', 'nested quantifiers'] });
  });

  it('weights: rlhf generate with NaN in model.norm.weight', async () => {
    const dir = nanWeights('model.norm.weight');
    expectCliError(await generate(dir), {
      code: 'WEIGHTS_NON_FINITE',
      mentions: ['model.safetensors', 'model.norm.weight'],
    });
  });

  it('config: rlhf pipeline whose model folder has hidden_size 1e9 (child process)', async () => {
    const dir = variant('config.json', (c) => ({ ...c, hidden_size: 1e9 }));
    const cfg = join(root, `pipeline-${n++}.json`);
    writeFileSync(
      cfg,
      JSON.stringify({
        model: dir,
        sft_data: join(data, 'demo/en/sft.jsonl'),
        preference_data: join(data, 'demo/en/preferences.jsonl'),
        backend: 'js',
      }),
    );
    const run = await spawnCli(['pipeline', '--config', cfg, '--out', join(root, `run-${n++}`)], { timeoutMs: 60_000 });
    expectCliError(run, { code: 'MODEL_CONFIG', mentions: ['config.json', 'hidden_size'] });
  });
});
