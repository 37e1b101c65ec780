import { appendFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSystemError, fsCall } from '../errors/file-system-error.js';
import { expectTypedError } from '../testing/expect-typed-error.js';
import { CheckpointError } from '../trainer/checkpoint-error.js';
import { ConfigError } from '../trainer/config-error.js';
import { resolveOptions } from '../trainer/option-schema.js';
import { resolveCheckpointing } from '../trainer/resolve-storage.js';
import { trainerOptionSpecs } from '../trainer/trainer-options.js';
import { FileCheckpointStorage } from './file-checkpoint-storage.js';
import { historyFileCallback } from './history-file-callback.js';
import { MANIFEST_FILE, OutputFolderError, openOutputFolder, ResumeMismatchError } from './output-folder.js';
import { LOCK_FILE, RunLockError } from './run-lock.js';

const root = await mkdtemp(join(tmpdir(), 'rlhf-out-bad-'));
let n = 0;
const fresh = async () => {
  const dir = join(root, `case-${n++}`);
  await mkdir(dir);
  return dir;
};
const manifest = (kind: string, status: string, fingerprint: Record<string, string> = {}) =>
  JSON.stringify({
    kind,
    status,
    created: '2026-01-01T00:00:00.000Z',
    updated: '2026-01-01T00:00:00.000Z',
    command: `rlhf ${kind}`,
    fingerprint,
  });
const open = (dir: string, extra: Partial<Parameters<typeof openOutputFolder>[1]> = {}) =>
  openOutputFolder(dir, { kind: 'sft', command: 'test', ...extra });
const errno = (code: string) => Object.assign(new Error(`${code}: injected`), { code });
const record = { kind: 'train', step: 1, epoch: 0, loss: 1 } as never;

describe('output folders (API): refused before anything is trained', () => {
  it('output folder: the path is an existing file', async () => {
    const file = join(await fresh(), 'out');
    await writeFile(file, 'x');
    await expectTypedError(() => open(file), {
      type: OutputFolderError,
      code: 'OUTPUT_FOLDER_INVALID',
      mentions: [file, 'is a file'],
    });
  });
  it('output folder: the path lies under a file (ENOTDIR)', async () => {
    const file = join(await fresh(), 'f');
    await writeFile(file, 'x');
    await expectTypedError(() => open(join(file, 'out')), {
      type: OutputFolderError,
      mentions: [join(file, 'out'), 'file'],
    });
  });
  it('output folder: equal to the input model folder', async () => {
    const dir = await fresh();
    await expectTypedError(() => open(dir, { inputs: [dir] }), {
      type: OutputFolderError,
      mentions: [dir, 'is the input'],
    });
  });
  it('output folder: inside the input model folder', async () => {
    const dir = await fresh();
    await expectTypedError(() => open(join(dir, 'sub'), { inputs: [dir] }), {
      type: OutputFolderError,
      mentions: ['is inside the input', dir],
    });
  });
  it('output folder: contains an input data file (overwrite would delete it)', async () => {
    const dir = await fresh();
    await expectTypedError(() => open(dir, { inputs: [join(dir, 'data.jsonl')] }), {
      type: OutputFolderError,
      mentions: ['contains the input', 'data.jsonl'],
    });
  });
  it('output folder: holds another kind of output (a pipeline run)', async () => {
    const dir = await fresh();
    await writeFile(join(dir, MANIFEST_FILE), manifest('pipeline', 'finished'));
    await expectTypedError(() => open(dir), { type: OutputFolderError, mentions: [dir, 'pipeline output', 'not sft'] });
  });
  it('output folder: holds a finished run and overwrite is not set', async () => {
    const dir = await fresh();
    await writeFile(join(dir, MANIFEST_FILE), manifest('sft', 'finished'));
    await expectTypedError(() => open(dir), { type: OutputFolderError, mentions: ['finished sft run', '--overwrite'] });
  });
  it('output folder: holds an interrupted run and neither resume nor overwrite is set', async () => {
    const dir = await fresh();
    await writeFile(join(dir, MANIFEST_FILE), manifest('sft', 'running'));
    await expectTypedError(() => open(dir), { type: OutputFolderError, mentions: ['interrupted sft run', '--resume'] });
  });
  it('output folder: not empty and without a manifest', async () => {
    const dir = await fresh();
    await writeFile(join(dir, 'notes.txt'), 'mine');
    await expectTypedError(() => open(dir), {
      type: OutputFolderError,
      mentions: ['is not empty', 'notes.txt', '--overwrite'],
    });
  });
  it('output folder: a manifest that is not valid JSON', async () => {
    const dir = await fresh();
    await writeFile(join(dir, MANIFEST_FILE), '{"kind": "sft",');
    await expectTypedError(() => open(dir), { type: OutputFolderError, mentions: [MANIFEST_FILE, 'damaged'] });
  });
  it('output folder: a manifest with an unknown status', async () => {
    const dir = await fresh();
    await writeFile(join(dir, MANIFEST_FILE), manifest('sft', 'half-done'));
    await expectTypedError(() => open(dir), { type: OutputFolderError, mentions: [MANIFEST_FILE, 'damaged'] });
  });
});

describe('locks (API): a folder in use is refused at once, naming the holder', () => {
  it('lock: held by a live process on this host (pid 1)', async () => {
    const dir = await fresh();
    const holder = { pid: 1, host: hostname(), started: '2026-01-01T00:00:00.000Z', command: 'rlhf sft --out x' };
    await writeFile(join(dir, LOCK_FILE), JSON.stringify(holder));
    await expectTypedError(() => open(dir), {
      type: RunLockError,
      code: 'OUTPUT_LOCKED',
      mentions: ['pid 1', hostname(), 'rlhf sft --out x', '2026-01-01'],
    });
  });
  it('lock: held by a process on another host (never taken over, even if the pid is unknown here)', async () => {
    const dir = await fresh();
    const holder = {
      pid: 999_999_999,
      host: 'other-host.example',
      started: '2026-01-02T00:00:00.000Z',
      command: 'rlhf dpo',
    };
    await writeFile(join(dir, LOCK_FILE), JSON.stringify(holder));
    await expectTypedError(() => open(dir), {
      type: RunLockError,
      mentions: ['other-host.example', 'pid 999999999', LOCK_FILE],
    });
  });
  it('lock: an empty lock file just created by a starting run', async () => {
    const dir = await fresh();
    await writeFile(join(dir, LOCK_FILE), '');
    await expectTypedError(() => open(dir), { type: RunLockError, mentions: [dir, 'still being written'] });
  });
});

describe('resume (API): refused when the stored run used other inputs', () => {
  it('resume mismatch: the config differs', async () => {
    const dir = await fresh();
    await writeFile(
      join(dir, MANIFEST_FILE),
      manifest('pipeline', 'running', { config: 'a', 'sft_data (s.jsonl)': 'b' }),
    );
    await expectTypedError(
      () => open(dir, { kind: 'pipeline', resume: true, fingerprint: { config: 'A', 'sft_data (s.jsonl)': 'b' } }),
      { type: ResumeMismatchError, code: 'RESUME_MISMATCH', mentions: [dir, 'config differs', 'SHA-256'] },
    );
  });
  it('resume mismatch: a data file differs and another one is new', async () => {
    const dir = await fresh();
    await writeFile(
      join(dir, MANIFEST_FILE),
      manifest('pipeline', 'running', { config: 'a', 'sft_data (s.jsonl)': 'b' }),
    );
    await expectTypedError(
      () =>
        open(dir, {
          kind: 'pipeline',
          resume: true,
          fingerprint: { config: 'a', 'sft_data (s.jsonl)': 'B', 'sft_val_data (v.jsonl)': 'c' },
        }),
      { type: ResumeMismatchError, mentions: ['sft_data (s.jsonl)', 'sft_val_data (v.jsonl)', 'differ'] },
    );
  });
});

describe('checkpoint folders (API)', () => {
  const none = { checkpoint_storage: null, resume_from_checkpoint: null };
  it('checkpoints: output_dir holds an earlier run and overwrite_output_dir is not set', async () => {
    const dir = await fresh();
    await new FileCheckpointStorage(dir).write(
      'checkpoint-4',
      new Map([['trainer_state.json', new Uint8Array([123, 125])]]),
    );
    await expectTypedError(() => resolveCheckpointing('SFTTrainer', { ...none, output_dir: dir }), {
      type: ConfigError,
      mentions: ['output_dir', 'checkpoint-4', 'overwrite_output_dir'],
    });
  });
  it('checkpoints: output_dir is a file', async () => {
    const file = join(await fresh(), 'f');
    await writeFile(file, 'x');
    await expectTypedError(() => resolveCheckpointing('SFTTrainer', { ...none, output_dir: file }), {
      type: FileSystemError,
      mentions: [file, 'ENOTDIR', 'preparing checkpoints'],
    });
  });
  it('checkpoints: writing under a path whose parent is a file', async () => {
    const file = join(await fresh(), 'f');
    await writeFile(file, 'x');
    await expectTypedError(() => new FileCheckpointStorage(join(file, 'ckpt')).write('checkpoint-1', new Map()), {
      type: FileSystemError,
      mentions: [join(file, 'ckpt'), 'writing a checkpoint'],
    });
  });
  it('checkpoints: a name that is not a checkpoint name', async () => {
    await expectTypedError(() => new FileCheckpointStorage(root).write('../evil', new Map()), {
      type: CheckpointError,
      mentions: ['../evil'],
    });
  });
  it('checkpoints: resuming from a checkpoint that does not exist', async () => {
    const dir = await fresh();
    await expectTypedError(() => new FileCheckpointStorage(dir).read('checkpoint-9'), {
      type: CheckpointError,
      mentions: ['checkpoint-9', 'does not exist'],
    });
  });
  it.each([0, -1, 1.5, '2'])('options: save_total_limit %j is refused', async (value) => {
    await expectTypedError(
      () => resolveOptions('SFTTrainer', trainerOptionSpecs({} as never), { save_total_limit: value }),
      {
        type: ConfigError,
        mentions: ['save_total_limit'],
      },
    );
  });
  it('options: overwrite_output_dir must be a boolean', async () => {
    await expectTypedError(
      () => resolveOptions('SFTTrainer', trainerOptionSpecs({} as never), { overwrite_output_dir: 'yes' }),
      {
        type: ConfigError,
        mentions: ['overwrite_output_dir'],
      },
    );
  });
});

describe('file-system errors (API): typed, naming the file and the stage', () => {
  it('fs: history file whose folder is a file (ENOTDIR)', async () => {
    const file = join(await fresh(), 'f');
    await writeFile(file, 'x');
    await expectTypedError(() => historyFileCallback(join(file, 'history.jsonl'))(record), {
      type: FileSystemError,
      code: 'FILE_SYSTEM_ERROR',
      mentions: [join(file, 'history.jsonl'), 'writing the training history'],
    });
  });
  it('fs: history file that is a directory (EISDIR)', async () => {
    const dir = await fresh();
    await mkdir(join(dir, 'history.jsonl'));
    await expectTypedError(() => historyFileCallback(join(dir, 'history.jsonl'))(record), {
      type: FileSystemError,
      mentions: ['history.jsonl', /EISDIR|ENOTEMPTY|EEXIST/],
    });
  });
  it('fs: no space left on the device (ENOSPC, real: /dev/full)', async () => {
    await expectTypedError(
      () => fsCall(() => appendFile('/dev/full', 'x'), '/dev/full', 'append', 'rlhf pipeline: writing the logs'),
      {
        type: FileSystemError,
        mentions: ['/dev/full', 'ENOSPC', 'no space left', 'rlhf pipeline: writing the logs'],
      },
    );
  });
  it('fs: read-only file system (EROFS, injected: root ignores permissions and no read-only mount is at hand)', async () => {
    await expectTypedError(
      () => fsCall(() => Promise.reject(errno('EROFS')), 'runs/x/model.safetensors', 'write', 'saving the model'),
      {
        type: FileSystemError,
        mentions: ['runs/x/model.safetensors', 'EROFS', 'read-only', 'saving the model'],
      },
    );
  });
  it('fs: permission denied (EACCES, injected)', async () => {
    await expectTypedError(
      () => fsCall(() => Promise.reject(errno('EACCES')), 'runs/x', 'create directory', 'preparing the output folder'),
      {
        type: FileSystemError,
        mentions: ['runs/x', 'EACCES', 'permission denied'],
      },
    );
  });
  it('fs: a JSON syntax error in a file we read', async () => {
    await expectTypedError(() => fsCall(() => JSON.parse('{"a":'), 'cfg.json', 'read', 'reading the config'), {
      type: FileSystemError,
      mentions: ['cfg.json', 'JSON', 'reading the config'],
    });
  });
  it('fs: a missing file (ENOENT)', async () => {
    const missing = join(root, 'missing.json');
    const { readFile } = await import('node:fs/promises');
    await expectTypedError(() => fsCall(() => readFile(missing), missing, 'read', 'rlhf pipeline'), {
      type: FileSystemError,
      mentions: [missing, 'ENOENT'],
    });
  });
  it('fs: the output folder cannot be created under a file', async () => {
    const file = join(await fresh(), 'f');
    await writeFile(file, 'x');
    const error = await expectTypedError(() => open(join(file, 'a', 'b')), {
      type: OutputFolderError,
      mentions: [file],
    });
    expect(error.message).toContain('file');
  });
});
