import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { clock, progressBar } from './progress.js';
import { CLI_BIN } from './test-support/cli-harness.js';

function stream(isTTY: boolean): { s: Writable & { isTTY?: boolean }; text: () => string } {
  let text = '';
  const s = new Writable({
    write(c, _e, done) {
      text += String(c);
      done();
    },
  }) as Writable & { isTTY?: boolean };
  s.isTTY = isTTY;
  return { s, text: () => text };
}

/** A clock that advances by the given milliseconds at each call after the first. */
function ticking(stepsMs: number[]): () => number {
  let t = 1_000_000;
  let i = 0;
  return () => {
    if (i > 0) t += stepsMs[i - 1] ?? 0;
    i++;
    return t;
  };
}

describe('progress display', () => {
  it('formats clocks', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(75)).toBe('1:15');
    expect(clock(3725)).toBe('1:02:05');
    expect(clock(Number.NaN)).toBe('?');
  });

  it('on a terminal: a bar redrawn in place with steps, %, elapsed, ETA, tokens/s and loss; finish ends the line', () => {
    const { s, text } = stream(true);
    // start at t0; first report 10 s later at step 5 of 20; second 10 s later at step 10.
    const bar = progressBar(s, 'sft', ticking([10_000, 10_000, 5_000]));
    bar.update({ step: 5, total: 20, loss: 2.5, tokens_per_second: 812.4 });
    bar.update({ step: 10, total: 20, loss: 2.25, tokens_per_second: 790 });
    bar.finish('done');
    const out = text();
    const frames = out.split('\r\x1b[2K').filter(Boolean);
    expect(frames).toHaveLength(3);
    // 5 steps in 10 s → 0.5 steps/s; 15 left → eta 30 s.
    expect(frames[0]).toBe(
      'sft      [██████░░░░░░░░░░░░░░░░░░]  5/20 steps 25%  elapsed 0:10 eta 0:30  812 tok/s  loss 2.5000',
    );
    // measured from the first report: 5 steps in 10 s → 10 left → eta 20 s.
    expect(frames[1]).toBe(
      'sft      [████████████░░░░░░░░░░░░]  10/20 steps 50%  elapsed 0:20 eta 0:20  790 tok/s  loss 2.2500',
    );
    expect(frames[2]).toBe('sft      done in 0:25 (10 steps, loss 2.2500)\n');
    expect(out.endsWith('\n')).toBe(true);
  });

  it('not on a terminal: one plain line per report, no control characters', () => {
    const { s, text } = stream(false);
    const bar = progressBar(s, 'dpo', ticking([4_000, 4_000]));
    bar.update({ step: 2, total: 8, loss: 0.69 });
    bar.update({ step: 8, total: 8, val_loss: 0.5 });
    bar.finish();
    expect(text()).not.toContain('\r');
    expect(text()).not.toContain('\x1b');
    expect(text().split('\n')).toEqual([
      '[dpo] 2/8 steps 25% · elapsed 0:04 eta 0:12 · loss 0.6900',
      '[dpo] 8/8 steps 100% · elapsed 0:08 eta 0:00 · loss 0.6900 · val_loss 0.5000',
      '[dpo] done in 0:08 (8 steps, loss 0.6900)',
      '',
    ]);
  });

  it('an unknown total shows a step counter', () => {
    const { s, text } = stream(false);
    progressBar(s, 'x', ticking([1000])).update({ step: 3, total: 0 });
    expect(text()).toBe('[x] step 3 · elapsed 0:01\n');
  });
});

const data = fileURLToPath(new URL('../../../data/models/stories260K/', import.meta.url));
const hasScript = spawnSync('script', ['--version']).status === 0;

describe.skipIf(!hasScript || !existsSync(CLI_BIN))('rlhf sft on a pseudo-terminal (util-linux script)', () => {
  it('draws the bar with the run’s total steps and ends its line before the result', () => {
    const root = mkdtempSync(join(tmpdir(), 'rlhf-progress-'));
    const sft = join(root, 'sft.jsonl');
    writeFileSync(
      sft,
      Array.from({ length: 8 }, (_, i) => JSON.stringify({ prompt: `Kid ${i} went out.`, completion: ' Happy.' })).join(
        '\n',
      ),
    );
    const run = (cmd: string) =>
      spawnSync('script', ['-qefc', cmd, '/dev/null'], { encoding: 'utf8', timeout: 120_000, env: { ...process.env } });
    const q = (p: string) => `'${p}'`;
    const conv = run(
      `${q(process.execPath)} ${q(CLI_BIN)} convert llama2c --model ${q(join(data, 'stories260K.bin'))} --tokenizer ${q(join(data, 'tok512.bin'))} --out ${q(join(root, 'base'))}`,
    );
    expect(conv.status).toBe(0);
    const r = run(
      `${q(process.execPath)} ${q(CLI_BIN)} sft --model ${q(join(root, 'base'))} --data ${q(sft)} --out ${q(join(root, 'out'))} --num-train-epochs 2 --per_device_train_batch_size 2 --gradient-accumulation 1 --logging-steps 2 --max-seq-length 32`,
    );
    expect(r.status, r.stdout).toBe(0);
    // 8 records / batch 2 = 4 steps per epoch, 2 epochs = 8 steps; a record every 2 steps.
    const frames = r.stdout.split('\r\x1b[2K');
    expect(
      frames.some((f) =>
        /^sft +\[█+░*\] {2}2\/8 steps 25% {2}elapsed \d+:\d\d eta \d+:\d\d {2}\d+ tok\/s {2}loss \d/.test(f),
      ),
    ).toBe(true);
    expect(frames.some((f) => /8\/8 steps 100%/.test(f))).toBe(true);
    // The bar's line is finished before the result is printed.
    expect(r.stdout).toMatch(/sft +done in \d+:\d\d \(8 steps, loss [\d.]+\)\r?\nSFT done: 8 steps/);
  }, 180_000);
});
