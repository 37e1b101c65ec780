import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStorage, pruneCheckpoints } from '../trainer/checkpoint-storage.js';
import { resolveCheckpointing } from '../trainer/resolve-storage.js';
import { FileCheckpointStorage } from './file-checkpoint-storage.js';
import { historyFileCallback } from './history-file-callback.js';
import { MANIFEST_FILE, openOutputFolder, readOutputManifest, withOutputFolder } from './output-folder.js';
import { LOCK_FILE } from './run-lock.js';

const root = await mkdtemp(join(tmpdir(), 'rlhf-out-'));
let n = 0;
const fresh = () => join(root, `case-${n++}`);
const state = new Map([['trainer_state.json', new Uint8Array([123, 125])]]);

describe('openOutputFolder', () => {
  it('creates, locks and marks a folder; finish and release leave a finished manifest', async () => {
    const dir = fresh();
    const out = await openOutputFolder(dir, { kind: 'sft', command: 'first' });
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    expect((await readOutputManifest(dir))?.status).toBe('running');
    await out.finish();
    out.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect((await readOutputManifest(dir))?.status).toBe('finished');
  });

  it('takes over a stale lock left by a killed process (pid not alive on this host)', async () => {
    const dir = fresh();
    await mkdir(dir);
    const dead = { pid: 2 ** 22 + 12345, host: hostname(), started: 'x', command: 'killed run' };
    await writeFile(join(dir, LOCK_FILE), JSON.stringify(dead));
    const out = await openOutputFolder(dir, { kind: 'sft', command: 'second' });
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).command).toBe('second');
    out.release();
  });

  it('overwrite removes an earlier run of ours; a failure before any output undoes the opening', async () => {
    const dir = fresh();
    await withOutputFolder(dir, { kind: 'dpo', command: 'a' }, async () => writeFile(join(dir, 'old.txt'), 'old'));
    await withOutputFolder(dir, { kind: 'dpo', command: 'b', overwrite: true }, async () => {
      expect(await readdir(dir)).not.toContain('old.txt');
    });
    const before = await readFile(join(dir, MANIFEST_FILE), 'utf8');
    await expect(
      withOutputFolder(dir, { kind: 'dpo', command: 'c', resume: true }, async () =>
        Promise.reject(new Error('bad data')),
      ),
    ).rejects.toThrow('bad data');
    expect(await readFile(join(dir, MANIFEST_FILE), 'utf8')).toBe(before); // the earlier manifest is back
    const created = fresh();
    await expect(
      withOutputFolder(created, { kind: 'dpo', command: 'd' }, async () => Promise.reject(new Error('x'))),
    ).rejects.toThrow();
    expect(existsSync(created)).toBe(false); // a folder this run created and left empty is removed
  });

  it('overwrite loses nothing when the new run fails before writing: the replaced run comes back whole', async () => {
    const dir = fresh();
    await withOutputFolder(dir, { kind: 'sft', command: 'a' }, async () => {
      await writeFile(join(dir, 'model.safetensors'), 'weights of run a');
      await mkdir(join(dir, 'checkpoint-4'));
      await writeFile(join(dir, 'checkpoint-4', 'trainer_state.json'), '{"step":4}');
    });
    const manifest = await readFile(join(dir, MANIFEST_FILE), 'utf8');
    await expect(
      withOutputFolder(dir, { kind: 'sft', command: 'b', overwrite: true }, async () => {
        expect((await readdir(dir)).filter((e) => !e.startsWith('.'))).toEqual([]); // out of the way meanwhile
        throw new Error('record 7 is bad');
      }),
    ).rejects.toThrow('record 7 is bad');
    expect((await readdir(dir)).sort()).toEqual([MANIFEST_FILE, 'checkpoint-4', 'model.safetensors']);
    expect(await readFile(join(dir, 'model.safetensors'), 'utf8')).toBe('weights of run a');
    expect(await readFile(join(dir, 'checkpoint-4', 'trainer_state.json'), 'utf8')).toBe('{"step":4}');
    expect(await readFile(join(dir, MANIFEST_FILE), 'utf8')).toBe(manifest);

    // A run that fails after writing keeps its own outputs (an interrupted run); one that finishes replaces.
    await expect(
      withOutputFolder(dir, { kind: 'sft', command: 'c', overwrite: true }, async () => {
        await writeFile(join(dir, 'history.jsonl'), '{"step":1}\n');
        throw new Error('NaN at step 2');
      }),
    ).rejects.toThrow('NaN at step 2');
    expect((await readdir(dir)).sort()).toEqual([MANIFEST_FILE, 'history.jsonl']);
    await withOutputFolder(dir, { kind: 'sft', command: 'd', overwrite: true }, async () =>
      writeFile(join(dir, 'model.safetensors'), 'weights of run d'),
    );
    expect((await readdir(dir)).sort()).toEqual([MANIFEST_FILE, 'model.safetensors']);
  });

  it('a nested open by the same process joins the lock without re-validating', async () => {
    const dir = fresh();
    const outer = await openOutputFolder(dir, { kind: 'pipeline', command: 'cli' });
    const inner = await openOutputFolder(dir, { kind: 'pipeline', command: 'library' });
    expect(inner.nested).toBe(true);
    inner.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    outer.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('removes temporaries of dead processes only, and restores a checkpoint moved aside by a killed write', async () => {
    const dir = fresh();
    await mkdir(dir);
    const dead = 2 ** 22 + 54321;
    await mkdir(join(dir, `.checkpoint-4.tmp-${dead}-abcd0123`));
    await mkdir(join(dir, `.checkpoint-2.old-${dead}-abcd0123`));
    await writeFile(join(dir, `.checkpoint-2.old-${dead}-abcd0123`, 'trainer_state.json'), '{}');
    await mkdir(join(dir, `.checkpoint-6.tmp-${process.pid}-abcd0123`)); // a live writer's: kept
    const storage = new FileCheckpointStorage(dir);
    const cleaned = await storage.prepare();
    expect(cleaned.sort()).toEqual([`.checkpoint-2.old-${dead}-abcd0123`, `.checkpoint-4.tmp-${dead}-abcd0123`]);
    expect((await readdir(dir)).sort()).toEqual([`.checkpoint-6.tmp-${process.pid}-abcd0123`, 'checkpoint-2']);
  });
});

describe('save_total_limit', () => {
  it('keeps the newest N checkpoints by step, in memory and on disk', async () => {
    const memory = new MemoryCheckpointStorage();
    for (const s of [5, 10, 15, 20]) await memory.write(`checkpoint-${s}`, state);
    expect((await pruneCheckpoints(memory, 2)).sort()).toEqual(['checkpoint-10', 'checkpoint-5']);
    expect((await memory.list()).sort()).toEqual(['checkpoint-15', 'checkpoint-20']);
    const dir = fresh();
    const { storage, release } = await resolveCheckpointing('T', {
      checkpoint_storage: null,
      output_dir: dir,
      resume_from_checkpoint: null,
      save_total_limit: 2,
    });
    for (const s of [3, 6, 9, 12]) await storage?.write(`checkpoint-${s}`, state);
    release();
    expect((await readdir(dir)).sort()).toEqual(['checkpoint-12', 'checkpoint-9']);
  });

  it('a fresh run with overwrite_output_dir deletes the earlier checkpoints', async () => {
    const dir = fresh();
    await new FileCheckpointStorage(dir).write('checkpoint-7', state);
    const o = { checkpoint_storage: null, output_dir: dir, resume_from_checkpoint: null, overwrite_output_dir: true };
    (await resolveCheckpointing('T', o)).release();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('historyFileCallback with resume', () => {
  it('keeps the records before the first resumed step and drops the ones the interrupted run wrote after its checkpoint', async () => {
    const file = join(fresh(), 'history.jsonl');
    const first = historyFileCallback(file);
    for (const step of [1, 2, 3, 4]) await first({ kind: 'train', step } as never);
    // Killed after step 4; the checkpoint was at step 2, so steps 3 and 4 are logged again.
    const resumed = historyFileCallback(file, undefined, { resume: true });
    for (const step of [3, 4, 5]) await resumed({ kind: 'train', step } as never);
    const steps = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).step);
    expect(steps).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('a run killed while writing its manifest', () => {
  it('leaves a temporary that the next run removes instead of calling the folder "not empty"', async () => {
    const dir = fresh();
    await mkdir(dir);
    await writeFile(join(dir, `.${MANIFEST_FILE}.tmp-${2 ** 22 + 777}-0badc0de`), '{"kind":');
    const out = await openOutputFolder(dir, { kind: 'pipeline', command: 'resumed', resume: true });
    expect((await readdir(dir)).sort()).toEqual([MANIFEST_FILE, LOCK_FILE].sort());
    out.release();
  });
});

describe('resume and overwrite together', () => {
  it('resume wins: the stored run is kept, nothing is deleted', async () => {
    const dir = fresh();
    await withOutputFolder(dir, { kind: 'pipeline', command: 'a', fingerprint: { config: 'c' } }, async () =>
      writeFile(join(dir, 'stages.txt'), 'kept'),
    );
    const out = await openOutputFolder(dir, {
      kind: 'pipeline',
      command: 'b',
      resume: true,
      overwrite: true,
      fingerprint: { config: 'c' },
    });
    expect(await readFile(join(dir, 'stages.txt'), 'utf8')).toBe('kept');
    out.release();
  });
});

describe("a trainer's output_dir (library, without the CLI)", () => {
  it('is locked for the run: a live holder is refused with RunLockError before anything is written, and the lock is released after', async () => {
    const dir = fresh();
    await mkdir(dir);
    // pid 1 is alive on every host, so this lock is held, not stale.
    const holder = { pid: 1, host: hostname(), started: '2026-01-01T00:00:00.000Z', command: 'another run' };
    await writeFile(join(dir, LOCK_FILE), JSON.stringify(holder));
    const refused = await resolveCheckpointing('SFTTrainer', {
      checkpoint_storage: null,
      output_dir: dir,
      resume_from_checkpoint: null,
    }).catch((e: unknown) => e);
    expect((refused as Error).name).toBe('RunLockError');
    expect((refused as Error).message).toContain('another run');
    expect(await readdir(dir)).toEqual([LOCK_FILE]);

    const free = fresh();
    const run = await resolveCheckpointing('SFTTrainer', {
      checkpoint_storage: null,
      output_dir: free,
      resume_from_checkpoint: null,
    });
    expect(JSON.parse(readFileSync(join(free, LOCK_FILE), 'utf8')).command).toContain('SFTTrainer');
    const second = await resolveCheckpointing('DPOTrainer', {
      checkpoint_storage: null,
      output_dir: free,
      resume_from_checkpoint: null,
    });
    second.release(); // a nested run of this process shares the lock
    expect(existsSync(join(free, LOCK_FILE))).toBe(true);
    run.release();
    expect(existsSync(join(free, LOCK_FILE))).toBe(false);
  });
});
