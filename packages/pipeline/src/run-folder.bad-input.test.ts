import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJsBackend } from '@rlhf/backend-js';
import { CheckpointError, ConfigError, MemoryCheckpointStorage } from '@rlhf/core';
import { OutputFolderError, ResumeMismatchError } from '@rlhf/core/node';
import { expectTypedError } from '@rlhf/core/testing';
import { convertLlama2c, modelFromContent } from '@rlhf/models';
import { describe, it } from 'vitest';
import { RLHFPipeline } from './rlhf-pipeline.js';
import { StageStore } from './stage-store.js';

const dir = fileURLToPath(new URL('../../../data/models/stories260K/', import.meta.url));
const content = convertLlama2c(readFileSync(`${dir}stories260K.bin`), readFileSync(`${dir}tok512.bin`));
const load = () => modelFromContent(content, createJsBackend());
const root = mkdtempSync(join(tmpdir(), 'rlhf-pipe-bad-'));
let n = 0;
const sft = [{ prompt: 'Tom went out.', completion: ' He was happy.' }];
const prefs = [{ prompt: 'Lily saw a cat.', chosen: ' She smiled.', rejected: ' She cried.' }];
const manifest = (status: string) =>
  JSON.stringify({
    kind: 'pipeline',
    status,
    created: 'x',
    updated: '2026-01-01',
    command: 'earlier run',
    fingerprint: { config: 'x' },
  });
const folder = (files: Record<string, string>) => {
  const d = join(root, `run-${n++}`);
  mkdirSync(d);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
};
const run = (options: ConstructorParameters<typeof RLHFPipeline>[0]) => () =>
  new RLHFPipeline(options).chay_day_du(load(), null, null, sft, prefs);

describe('RLHFPipeline output_dir (API): refused before any stage runs', () => {
  it('pipeline output folder: output_dir is a file', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    await expectTypedError(run({ output_dir: file }), { type: OutputFolderError, mentions: [file, 'is a file'] });
  });
  it('pipeline output folder: a finished run and overwrite_output_dir is not set', async () => {
    const d = folder({ '.rlhf-output.json': manifest('finished') });
    await expectTypedError(run({ output_dir: d }), {
      type: OutputFolderError,
      mentions: [d, 'finished pipeline run', 'overwrite_output_dir'],
    });
  });
  it('pipeline resume: the stored run used another config and other data', async () => {
    const d = folder({ '.rlhf-output.json': manifest('running') });
    await expectTypedError(run({ output_dir: d, resume: true }), {
      type: ResumeMismatchError,
      mentions: [d, 'config', 'sft_data', 'preference_data'],
    });
  });
  it('pipeline options: overwrite_output_dir must be a boolean', async () => {
    await expectTypedError(() => new RLHFPipeline({ overwrite_output_dir: 'yes' as never }), {
      type: ConfigError,
      mentions: ['overwrite_output_dir'],
    });
  });
});

describe('stage store (API): damaged stages are typed errors naming the stage file', () => {
  it('stage store: trainer_state.json of a stored stage is not valid JSON', async () => {
    const storage = new MemoryCheckpointStorage();
    await storage.write('stage-sft', new Map([['trainer_state.json', new TextEncoder().encode('{"result": ')]]));
    await expectTypedError(() => new StageStore(storage).load('sft'), {
      type: CheckpointError,
      mentions: ['stage-sft/trainer_state.json', 'not valid JSON'],
    });
  });
  it('stage store: the stage asked for is not stored', async () => {
    await expectTypedError(() => new StageStore(new MemoryCheckpointStorage()).load('dpo'), {
      type: CheckpointError,
      mentions: ['stage-dpo', 'does not exist'],
    });
  });
});
