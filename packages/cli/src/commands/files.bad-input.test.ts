import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertLlama2c } from '@rlhf/models';
import { writeHfDirectory } from '@rlhf/models/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectCliError, runCliCaptured } from '../test-support/cli-harness.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = join(repo, 'data/models/stories260K/stories260K.bin');
const tok = join(repo, 'data/models/stories260K/tok512.bin');
const root = mkdtempSync(join(tmpdir(), 'rlhf-cli-files-'));
const model = join(root, 'model');
let n = 0;
const path = (name: string) => join(root, `${n++}-${name}`);
const write = (name: string, content: string | Uint8Array) => {
  const p = path(name);
  writeFileSync(p, content);
  return p;
};
const pair = { prompt: 'Lily saw a cat.', chosen: ' She smiled.', rejected: ' She cried.' };
const prefs = () => write('prefs.jsonl', [pair, pair].map((r) => JSON.stringify(r)).join('\n'));
const sftData = () => write('sft.jsonl', JSON.stringify({ prompt: 'Tom went out.', completion: ' He was happy.' }));
const manifest = (kind: string, status: string) =>
  JSON.stringify({
    kind,
    status,
    created: '2026-01-01T00:00:00Z',
    updated: '2026-01-01T00:00:00Z',
    command: `rlhf ${kind}`,
    fingerprint: { config: 'old' },
  });
const folderWith = (files: Record<string, string>) => {
  const dir = path('out');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
};
const train = (command: string, out: string, data: string, ...extra: string[]) =>
  runCliCaptured([
    command,
    '--model',
    model,
    '--data',
    data,
    '--out',
    out,
    '--backend',
    'js',
    '--so_vong',
    '1',
    '--max_seq_length',
    '32',
    ...extra,
  ]);

beforeAll(async () => {
  await writeHfDirectory(model, convertLlama2c(readFileSync(bin), readFileSync(tok)));
});

describe('rlhf generate: flags validated before generating', () => {
  it.each([
    ['--max-new-tokens', '-1', 'positive integer'],
    ['--max-new-tokens', '0', 'positive integer'],
    ['--max-new-tokens', '1.5', 'positive integer'],
    ['--max-new-tokens', '1e9', 'max_position_embeddings 512'],
    ['--temperature', '-1', '≥ 0'],
    ['--top-k', '-1', 'integer ≥ 0'],
    ['--top-k', '2.5', 'integer ≥ 0'],
    ['--top-p', '0', '(0, 1]'],
    ['--top-p', '1.5', '(0, 1]'],
    ['--top-p', '2', '(0, 1]'],
  ])('generate flags: %s %s', async (flag, value, expected) => {
    const run = await runCliCaptured(
      ['generate', '--model', model, '--prompt', 'Once', flag, value, '--backend', 'js'],
      20_000,
    );
    expectCliError(run, { code: 'USAGE', mentions: [flag, expected] });
  });
});

describe('rlhf sft / dpo / reward: --out validated before training', () => {
  it('output folder (cli): --out is an existing file', async () => {
    const out = write('out-file', 'x');
    expectCliError(await train('sft', out, sftData()), { code: 'OUTPUT_FOLDER_INVALID', mentions: [out, 'is a file'] });
  });
  it('output folder (cli): --out equals --model', async () => {
    expectCliError(await train('sft', model, sftData()), {
      code: 'OUTPUT_FOLDER_INVALID',
      mentions: [model, 'is the input'],
    });
  });
  it('output folder (cli): --out inside --model', async () => {
    const out = join(model, 'sub');
    expectCliError(await train('dpo', out, prefs()), {
      code: 'OUTPUT_FOLDER_INVALID',
      mentions: [out, 'inside the input'],
    });
  });
  it('output folder (cli): --out holds a finished sft run and --overwrite is missing', async () => {
    const out = folderWith({ '.rlhf-output.json': manifest('sft', 'finished'), 'config.json': '{}' });
    expectCliError(await train('sft', out, sftData()), {
      code: 'OUTPUT_FOLDER_INVALID',
      mentions: [out, 'finished sft run', '--overwrite'],
    });
  });
  it('output folder (cli): --out holds an interrupted dpo run', async () => {
    const out = folderWith({ '.rlhf-output.json': manifest('dpo', 'running') });
    expectCliError(await train('dpo', out, prefs()), {
      code: 'OUTPUT_FOLDER_INVALID',
      mentions: ['interrupted dpo run', '--resume'],
    });
  });
  it('output folder (cli): --out holds pipeline output, not reward output', async () => {
    const out = folderWith({ '.rlhf-output.json': manifest('pipeline', 'finished') });
    expectCliError(await train('reward', out, prefs()), {
      code: 'OUTPUT_FOLDER_INVALID',
      mentions: ['pipeline output', 'not reward'],
    });
  });
  it('output folder (cli): --out is a non-empty folder without a manifest', async () => {
    const out = folderWith({ 'thesis.tex': 'mine' });
    expectCliError(await train('sft', out, sftData()), {
      code: 'OUTPUT_FOLDER_INVALID',
      mentions: ['not empty', 'thesis.tex'],
    });
  });
  it('lock (cli): --out is in use by a live run (pid 1 on this host)', async () => {
    const holder = { pid: 1, host: hostname(), started: '2026-01-01T00:00:00Z', command: 'rlhf sft --out elsewhere' };
    const out = folderWith({ '.rlhf-lock': JSON.stringify(holder) });
    expectCliError(await train('sft', out, sftData()), {
      code: 'OUTPUT_LOCKED',
      mentions: ['pid 1', hostname(), 'rlhf sft --out elsewhere'],
    });
  });
  it('data (cli): dpo data with invalid UTF-8 on line 2', async () => {
    const data = write(
      'latin1.jsonl',
      Uint8Array.from([
        ...new TextEncoder().encode(`${JSON.stringify(pair)}\n{"prompt": "`),
        0xe9,
        ...new TextEncoder().encode('", "chosen": " a", "rejected": " b"}'),
      ]),
    );
    expectCliError(await train('dpo', path('o'), data), {
      code: 'DATA_FILE_INVALID',
      mentions: [data, 'line 2', 'UTF-8'],
    });
  });
  it('data (cli): reward data with a JSON syntax error on line 2', async () => {
    const data = write('broken.jsonl', `${JSON.stringify(pair)}\n{"prompt": "x",,}`);
    expectCliError(await train('reward', path('o'), data), {
      code: 'DATA_FILE_INVALID',
      mentions: [data, 'line 2', 'JSON'],
    });
  });
  it('data (cli): sft data file missing', async () => {
    const data = join(root, 'nope.jsonl');
    expectCliError(await train('sft', path('o'), data), { code: 'DATA_FILE_INVALID', mentions: [data, 'ENOENT'] });
  });
  it('data (cli): dpo with an empty reply and no --skip_invalid', async () => {
    const data = write('hh.jsonl', [pair, { ...pair, rejected: '' }].map((r) => JSON.stringify(r)).join('\n'));
    expectCliError(await train('dpo', path('o'), data), {
      code: 'DATA_FILE_INVALID',
      mentions: [data, 'line 2', 'rejected'],
    });
  });
  it('a refused run touches nothing: the folder it would have created does not exist', async () => {
    const out = path('never');
    const data = write('hh.jsonl', [{ ...pair, chosen: 3 }].map((r) => JSON.stringify(r)).join('\n'));
    expectCliError(await train('dpo', out, data), { code: 'DATA_FILE_INVALID', mentions: [data, 'line 1'] });
    expect(() => readFileSync(join(out, '.rlhf-output.json'))).toThrow(/ENOENT/);
  });
});

describe('rlhf pipeline: the config and the run folder are validated before anything is written', () => {
  const config = (extra: Record<string, unknown> = {}) =>
    write(
      'pipeline.json',
      JSON.stringify({
        model: { format: 'llama2c', checkpoint: bin, tokenizer: tok },
        sft_data: sftData(),
        preference_data: prefs(),
        sft_config: { max_seq_length: 32 },
        ...extra,
      }),
    );
  const pipeline = (cfg: string, out: string, ...extra: string[]) =>
    runCliCaptured(['pipeline', '--config', cfg, '--out', out, '--backend', 'js', ...extra]);

  it('pipeline config: the file does not exist (ENOENT)', async () => {
    const cfg = join(root, 'missing.json');
    expectCliError(await pipeline(cfg, path('o')), {
      code: 'FILE_SYSTEM_ERROR',
      mentions: [cfg, 'ENOENT', 'reading the config'],
    });
  });
  it('pipeline config: the path is a directory (EISDIR)', async () => {
    const cfg = path('cfg-dir');
    mkdirSync(cfg);
    expectCliError(await pipeline(cfg, path('o')), { code: 'FILE_SYSTEM_ERROR', mentions: [cfg, 'EISDIR'] });
  });
  it('pipeline config: a JSON syntax error', async () => {
    const cfg = write('bad.json', '{"model": ');
    expectCliError(await pipeline(cfg, path('o')), { code: 'USAGE', mentions: [cfg] });
  });
  it('pipeline config: a JSON array instead of an object', async () => {
    const cfg = write('arr.json', '[]');
    expectCliError(await pipeline(cfg, path('o')), { code: 'USAGE', mentions: [cfg, 'JSON object'] });
  });
  it('pipeline config: sft_data names a missing file', async () => {
    const cfg = config({ sft_data: join(root, 'gone.jsonl') });
    expectCliError(await pipeline(cfg, path('o')), { code: 'DATA_FILE_INVALID', mentions: ['gone.jsonl'] });
  });
  it('pipeline config: eval_prompts file is not valid JSON', async () => {
    const cfg = config({ eval_prompts: write('prompts.json', '["a",') });
    expectCliError(await pipeline(cfg, path('o')), {
      code: 'FILE_SYSTEM_ERROR',
      mentions: ['prompts.json', 'JSON', 'eval_prompts'],
    });
  });
  it('pipeline config: sft_val_data is a number', async () => {
    const cfg = config({ sft_val_data: 3 });
    expectCliError(await pipeline(cfg, path('o')), { code: 'USAGE', mentions: ['sft_val_data'] });
  });
  it('pipeline output folder: --out is a file', async () => {
    const out = write('o-file', 'x');
    expectCliError(await pipeline(config(), out), { code: 'OUTPUT_FOLDER_INVALID', mentions: [out, 'is a file'] });
  });
  it('pipeline output folder: a finished pipeline run and no --overwrite', async () => {
    const out = folderWith({ '.rlhf-output.json': manifest('pipeline', 'finished') });
    expectCliError(await pipeline(config(), out), {
      code: 'OUTPUT_FOLDER_INVALID',
      mentions: ['finished pipeline run', '--overwrite'],
    });
  });
  it('pipeline resume: --resume with another config than the stored run', async () => {
    const out = folderWith({ '.rlhf-output.json': manifest('pipeline', 'running') });
    expectCliError(await pipeline(config(), out, '--resume'), {
      code: 'RESUME_MISMATCH',
      mentions: [out, 'config', 'sft_data', 'preference_data'],
    });
  });
  it('pipeline: an invalid option fails before logs.jsonl is touched (it keeps its bytes)', async () => {
    const out = folderWith({
      '.rlhf-output.json': manifest('pipeline', 'finished'),
      'logs.jsonl': '{"stage":"sft"}\n',
    });
    const run = await pipeline(config({ sft_config: { toc_do_hoc: -1 } }), out, '--overwrite');
    expectCliError(run, { code: 'CONFIG_INVALID', mentions: ['toc_do_hoc'] });
    expect(readFileSync(join(out, 'logs.jsonl'), 'utf8')).toBe('{"stage":"sft"}\n');
  });
  it('pipeline lock: --out in use by a live run', async () => {
    const holder = { pid: 1, host: hostname(), started: '2026-01-01T00:00:00Z', command: 'rlhf pipeline --out x' };
    const out = folderWith({
      '.rlhf-lock': JSON.stringify(holder),
      '.rlhf-output.json': manifest('pipeline', 'running'),
    });
    expectCliError(await pipeline(config(), out, '--resume'), {
      code: 'OUTPUT_LOCKED',
      mentions: ['pid 1', 'rlhf pipeline --out x'],
    });
  });
  it('pipeline fs: logs.jsonl on a full device (ENOSPC, real: a link to /dev/full)', async () => {
    const out = path('full');
    mkdirSync(out);
    symlinkSync('/dev/full', join(out, 'logs.jsonl'));
    const run = await pipeline(
      config({
        sft_config: { max_seq_length: 32, max_steps: 1 },
        reward_config: { max_steps: 1 },
        dpo_config: { max_steps: 1 },
      }),
      out,
      '--overwrite',
    );
    expectCliError(run, { code: 'FILE_SYSTEM_ERROR', mentions: ['logs.jsonl', 'ENOSPC', 'writing the logs'] });
  }, 60_000);
});

describe('rlhf convert: typed errors for its files', () => {
  const convert = (m: string, t: string, out: string) =>
    runCliCaptured(['convert', 'llama2c', '--model', m, '--tokenizer', t, '--out', out]);
  it('convert: --model is missing (ENOENT)', async () => {
    const m = join(root, 'none.bin');
    expectCliError(await convert(m, tok, path('o')), { code: 'FILE_SYSTEM_ERROR', mentions: [m, 'ENOENT'] });
  });
  it('convert: --tokenizer is a directory (EISDIR)', async () => {
    const t = path('tokdir');
    mkdirSync(t);
    expectCliError(await convert(bin, t, path('o')), { code: 'FILE_SYSTEM_ERROR', mentions: [t, 'EISDIR'] });
  });
  it('convert: --out is a file', async () => {
    const out = write('conv-out', 'x');
    expectCliError(await convert(bin, tok, out), { code: 'OUTPUT_FOLDER_INVALID', mentions: [out, 'is a file'] });
  });
  it('convert: --out holds a converted model already and --overwrite is missing', async () => {
    const out = folderWith({ '.rlhf-output.json': manifest('model', 'finished') });
    expectCliError(await convert(bin, tok, out), {
      code: 'OUTPUT_FOLDER_INVALID',
      mentions: ['finished model run', '--overwrite'],
    });
  });
});
