import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

const data = fileURLToPath(new URL('../../../../data/models/stories260K/', import.meta.url));

async function cli(argv: string[]): Promise<{ code: number; json: unknown; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (f: (s: string) => void) =>
    new Writable({
      write: (c, _e, done) => {
        f(String(c));
        done();
      },
    });
  const code = await runCli(argv, { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) });
  const last = stdout.trim().split('\n').pop() ?? '';
  const json = last.startsWith('{') || last.startsWith('[') ? JSON.parse(last) : null;
  // With --json, a command that succeeds ends its stdout with one JSON object (never an array).
  if (argv.includes('--json') && code === 0) {
    expect(stdout.endsWith('}\n'), stdout).toBe(true);
    expect(typeof json === 'object' && json !== null && !Array.isArray(json), last).toBe(true);
  }
  return { code, json, stderr };
}

describe('rlhf sft / reward / score / dpo', () => {
  const root = mkdtempSync(join(tmpdir(), 'rlhf-train-cli-'));
  const base = join(root, 'base');
  const sftFile = join(root, 'sft.jsonl');
  const prefFile = join(root, 'prefs.json');
  const textsFile = join(root, 'texts.json');
  writeFileSync(
    sftFile,
    ['Lily', 'Tom', 'Sue', 'Ben']
      .map((n) => JSON.stringify({ prompt: `${n} went out.`, completion: ` ${n} was happy.` }))
      .join('\n'),
  );
  writeFileSync(
    prefFile,
    JSON.stringify(
      ['Lily', 'Tom', 'Sue', 'Ben'].map((n) => ({
        prompt: `${n} saw a dog.`,
        chosen: ` ${n} smiled.`,
        rejected: ` ${n} cried.`,
      })),
    ),
  );
  writeFileSync(textsFile, JSON.stringify(['Lily smiled.', 'Lily cried.', 'Tom went home.']));

  it('trains each stage from the command line with seed option names as flags', async () => {
    expect(
      (
        await cli([
          'convert',
          'llama2c',
          '--model',
          join(data, 'stories260K.bin'),
          '--tokenizer',
          join(data, 'tok512.bin'),
          '--out',
          base,
          '--json',
        ])
      ).code,
    ).toBe(0);
    const common = [
      '--kich_thuoc_batch',
      '2',
      '--gradient_accumulation',
      '1',
      '--logging_steps',
      '1',
      '--backend',
      'js',
      '--json',
    ];
    const sft = await cli([
      'sft',
      '--model',
      base,
      '--data',
      sftFile,
      '--out',
      join(root, 'sft'),
      '--so_vong',
      '1',
      '--toc_do_hoc',
      '1e-3',
      ...common,
    ]);
    expect(sft.stderr).not.toMatch(/rlhf:/);
    expect(sft.code).toBe(0);
    expect(Object.keys(sft.json as object)).toEqual(
      expect.arrayContaining(['tong_thoi_gian', 'so_epoch', 'global_step', 'train_loss_min', 'history']),
    );
    expect((sft.json as { global_step: number }).global_step).toBe(2);
    expect(
      readFileSync(join(root, 'sft', 'history.jsonl'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(2);

    const rm = await cli([
      'reward',
      '--model',
      join(root, 'sft'),
      '--data',
      prefFile,
      '--out',
      join(root, 'rm'),
      '--toc_do_hoc',
      '1e-3',
      ...common,
    ]);
    expect(rm.code).toBe(0);
    expect((rm.json as { global_step: number }).global_step).toBe(2);
    const scored = await cli(['score', '--model', join(root, 'rm'), '--texts', textsFile, '--backend', 'js', '--json']);
    expect(scored.code).toBe(0);
    const { scores } = scored.json as { scores: Record<string, unknown>[] };
    expect(scores).toHaveLength(3);
    for (const r of scores) expect(Object.keys(r).sort()).toEqual(['score', 'score_normalized', 'van_ban']);

    const dpo = await cli([
      'dpo',
      '--model',
      join(root, 'sft'),
      '--data',
      prefFile,
      '--out',
      join(root, 'dpo'),
      '--toc_do_hoc',
      '1e-3',
      '--beta',
      '0.1',
      ...common,
    ]);
    expect(dpo.code).toBe(0);
    expect(Object.keys(dpo.json as object)).toEqual(
      expect.arrayContaining([
        'tong_thoi_gian',
        'so_epoch',
        'global_step',
        'train_loss_min',
        'final_reward_margin',
        'history',
      ]),
    );
    const generated = await cli([
      'generate',
      '--model',
      join(root, 'dpo'),
      '--max_new_tokens',
      '3',
      '--temperature',
      '0',
      '--json',
    ]);
    expect((generated.json as { generated_ids: number[] }).generated_ids).toHaveLength(3);
  });

  it('reports a bad option by name and writes nothing', async () => {
    const bad = await cli(['sft', '--model', base, '--data', sftFile, '--out', join(root, 'bad'), '--so_vongg', '1']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/so_vongg/);
    expect(() => readFileSync(join(root, 'bad', 'config.json'))).toThrow();
  });
});
