import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { convertStories260K, expectCliError, runCliCaptured } from '../test-support/cli-harness.js';

const root = mkdtempSync(join(tmpdir(), 'rlhf-kto-bad-'));
const base = join(root, 'base');
const fast = ['--kich-thuoc-batch', '2', '--gradient_accumulation', '1', '--max_seq_length', '32', '--backend', 'js'];
let n = 0;
const outDir = () => join(root, `out-${n++}`);
const hasModel = (dir: string) => existsSync(join(dir, 'model.safetensors')) || existsSync(join(dir, 'config.json'));
const good = (p: string, label: boolean) => ({ prompt: `${p} saw a dog.`, completion: ` ${p} smiled.`, label });

/** Writes `records` as JSONL and returns the path. */
function jsonl(name: string, records: unknown[]): string {
  const path = join(root, name);
  writeFileSync(path, records.map((r) => JSON.stringify(r)).join('\n'));
  return path;
}

const kto = (data: string, out = outDir(), extra: string[] = []) =>
  runCliCaptured(['kto', '--model', base, '--data', data, '--out', out, ...fast, ...extra]);

beforeAll(async () => {
  await convertStories260K(base);
}, 60_000);

describe('bad input: rlhf kto', () => {
  it('a missing label: exits 1 naming the file, its line, the record and the key; --out holds no model', async () => {
    const data = jsonl('no-label.jsonl', [good('Lily', true), { prompt: 'Tom ran.', completion: ' Fast.' }]);
    const out = outDir();
    const run = await kto(data, out);
    expectCliError(run, { code: 'DATA_FILE_INVALID', mentions: [data, 'line 2', '(record 1, label)', 'is missing'] });
    expect(run.code).toBe(1);
    expect(hasModel(out)).toBe(false);
  });

  it('a label that is not a boolean ("yes"): names the value; --skip-invalid leaves it out and trains', async () => {
    const data = jsonl('str-label.jsonl', [
      good('Lily', true),
      { ...good('Tom', false), label: 'yes' },
      good('Sue', false),
    ]);
    expectCliError(await kto(data), {
      code: 'DATA_FILE_INVALID',
      mentions: [data, 'line 2', 'must be a boolean', 'the string "yes"'],
    });
    const skipped = await kto(data, outDir(), ['--skip-invalid']);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stdout).toContain('warning: --skip-invalid left out 1 invalid record(s)');
  });

  it('an empty completion: names the line and the key', async () => {
    const data = jsonl('empty.jsonl', [
      good('Lily', true),
      good('Tom', false),
      { ...good('Sue', true), completion: '' },
    ]);
    expectCliError(await kto(data), {
      code: 'DATA_FILE_INVALID',
      mentions: [data, 'line 3', '(record 2, completion)', 'is empty'],
    });
  });

  it('all-desirable data trains (as TRL does) and warns on stderr that only one side is learnt', async () => {
    const data = jsonl('all-good.jsonl', [good('Lily', true), good('Tom', true)]);
    const run = await kto(data, outDir(), ['--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('warning: kto_data has only desirable examples (2), no undesirable one');
  });

  it('wrong files: missing, not JSON, empty; a pair in an unpaired file', async () => {
    const missing = join(root, 'nope.jsonl');
    const run = await kto(missing);
    expectCliError(run, { mentions: [missing] });
    expect(run.stderr).not.toMatch(/\[INTERNAL\]/);
    const broken = join(root, 'broken.jsonl');
    writeFileSync(broken, '{"prompt": "a", "completion": "b", "label": true}\n{not json\n');
    expectCliError(await kto(broken), { code: 'DATA_FILE_INVALID', mentions: [broken, 'line 2'] });
    const empty = join(root, 'empty.json');
    writeFileSync(empty, '[]');
    expectCliError(await kto(empty), { code: 'DATA_FILE_INVALID', mentions: [empty, 'is empty'] });
    const mixed = jsonl('mixed.jsonl', [good('Lily', true), { prompt: 'p', chosen: ' a', rejected: ' b' }]);
    expectCliError(await kto(mixed), {
      code: 'DATA_FILE_INVALID',
      mentions: [mixed, 'line 2', 'is a preference pair', 'unpairPreferenceData'],
    });
  });

  it('a bad pair in a paired file names its line; options: --kich-thuoc-batch 1, --loss-type sigmoid, --desirable-weight -1', async () => {
    const pairs = jsonl('pairs.jsonl', [
      { prompt: 'Lily saw a dog.', chosen: ' Yes.', rejected: ' No.' },
      { prompt: 'Tom saw a dog.', chosen: ' Yes.', rejected: '' },
    ]);
    expectCliError(await kto(pairs), {
      code: 'DATA_FILE_INVALID',
      mentions: [pairs, 'line 2', 'rejected', 'is empty'],
    });
    const data = jsonl('ok.jsonl', [good('Lily', true), good('Tom', false)]);
    for (const [flag, value] of [
      ['--kich-thuoc-batch', '1'],
      ['--loss-type', 'sigmoid'],
      ['--desirable-weight', '-1'],
    ] as const) {
      const out = outDir();
      const run = await kto(data, out, [flag, value]);
      expectCliError(run, { code: 'CONFIG_INVALID', mentions: ['KTOTrainer', flag.slice(2).replace(/-/g, '_')] });
      expect(hasModel(out)).toBe(false);
    }
  });
});
