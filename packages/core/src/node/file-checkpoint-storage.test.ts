import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveCheckpointing } from '../trainer/resolve-storage.js';
import { FileCheckpointStorage } from './file-checkpoint-storage.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const files = (tag: string) =>
  new Map([
    ['trainer_state.json', bytes(`{"tag":"${tag}"}`)],
    ['model.safetensors', bytes(tag)],
  ]);

describe('FileCheckpointStorage', () => {
  it('writes checkpoint-N directories atomically, replaces them whole, lists and reads them (by name or path)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rlhf-ckpt-')), 'out');
    const storage = new FileCheckpointStorage(dir);
    expect(await storage.list()).toEqual([]);
    expect(existsSync(dir)).toBe(false); // nothing created before the first write
    await storage.write('checkpoint-5', files('a'));
    await storage.write('checkpoint-10', files('b'));
    await storage.write('checkpoint-10', files('c'));
    expect((await storage.list()).sort()).toEqual(['checkpoint-10', 'checkpoint-5']);
    expect(readdirSync(dir).sort()).toEqual(['checkpoint-10', 'checkpoint-5']); // no leftovers
    expect(new TextDecoder().decode((await storage.read('checkpoint-10')).get('model.safetensors'))).toBe('c');
    const byPath = await new FileCheckpointStorage('/nonexistent').read(join(dir, 'checkpoint-5'));
    expect(new TextDecoder().decode(byPath.get('model.safetensors'))).toBe('a');
    await expect(storage.read('checkpoint-7')).rejects.toThrow(/checkpoint-7' does not exist/);
  });

  it('a failed write leaves the earlier checkpoint of that name intact and no partial directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlhf-ckpt-'));
    const storage = new FileCheckpointStorage(dir);
    await storage.write('checkpoint-5', files('good'));
    const broken = new Map([...files('bad'), ['missing-subdir/x.bin', bytes('x')]]);
    await expect(storage.write('checkpoint-5', broken)).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['checkpoint-5']);
    expect(readFileSync(join(dir, 'checkpoint-5', 'model.safetensors'), 'utf8')).toBe('good');
  });

  it('output_dir resolves to a file storage through the Node entry; resume true finds the latest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlhf-ckpt-'));
    const none = { checkpoint_storage: null, output_dir: dir, resume_from_checkpoint: null };
    const { storage } = await resolveCheckpointing('T', none);
    expect(storage).toBeInstanceOf(FileCheckpointStorage);
    await (storage as FileCheckpointStorage).write('checkpoint-3', files('x'));
    await (storage as FileCheckpointStorage).write('checkpoint-12', files('y'));
    const { resume } = await resolveCheckpointing('T', { ...none, resume_from_checkpoint: true });
    expect(resume?.name).toBe('checkpoint-12');
  });
});
