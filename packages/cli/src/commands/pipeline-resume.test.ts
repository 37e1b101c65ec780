import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = join(repo, 'packages/cli/dist/bin.js');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI; `killWhen` sends SIGKILL once stderr matches it. */
function runCliProcess(args: string[], killWhen?: RegExp): Promise<Run> {
  return new Promise((done) => {
    const child: ChildProcess = spawn(process.execPath, [bin, ...args], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout?.on('data', (d) => (stdout += String(d)));
    child.stderr?.on('data', (d) => {
      stderr += String(d);
      // Kill inside the DPO stage: after its second logged step.
      if (killWhen && !killed && killWhen.test(stderr)) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

function lastJson(stdout: string): { ket_qua: Record<string, unknown>; thong_ke: Record<string, unknown> } {
  return JSON.parse(stdout.trim().split('\n').pop() as string);
}

/** Drops wall-clock figures, which differ between runs. */
function timeless(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (k, v) => (/thoi_gian|per_second|seconds|_time|elapsed/.test(k) ? undefined : v)),
  );
}

describe('rlhf pipeline: SIGKILL during DPO, then --resume', () => {
  it('does not redo SFT or the reward model and ends with the unbroken run’s results', async () => {
    expect(existsSync(bin), `${bin} is missing: run \`pnpm build\` before the tests`).toBe(true);
    const root = mkdtempSync(join(tmpdir(), 'rlhf-kill-'));
    const names = ['Lily', 'Tom', 'Sue', 'Ben', 'Max', 'Anna', 'Kim', 'Sam', 'Mia', 'Joe'];
    writeFileSync(
      join(root, 'sft.jsonl'),
      names.map((n) => JSON.stringify({ prompt: `${n} went to the park.`, completion: ` ${n} was happy.` })).join('\n'),
    );
    writeFileSync(
      join(root, 'prefs.jsonl'),
      names
        .map((n) =>
          JSON.stringify({
            prompt: `${n} saw a dog.`,
            chosen: ` ${n} smiled and was happy.`,
            rejected: ` ${n} cried.`,
          }),
        )
        .join('\n'),
    );
    const common = { kich_thuoc_batch: 2, gradient_accumulation: 1, logging_steps: 1, max_seq_length: 48 };
    writeFileSync(
      join(root, 'pipeline.json'),
      JSON.stringify({
        model: {
          format: 'llama2c',
          checkpoint: 'data/models/stories260K/stories260K.bin',
          tokenizer: 'data/models/stories260K/tok512.bin',
        },
        sft_data: join(root, 'sft.jsonl'),
        preference_data: join(root, 'prefs.jsonl'),
        eval_prompts: ['Kim saw a cat.', 'One day, Tom found a ball.'],
        sft_config: { ...common, so_vong: 1, toc_do_hoc: 1e-3 },
        reward_config: { ...common, toc_do_hoc: 1e-3 },
        dpo_config: { ...common, so_vong: 4, toc_do_hoc: 1e-3 },
        generation: { max_new_tokens: 12, temperature: 0.8, top_k: 20 },
      }),
    );
    const config = join(root, 'pipeline.json');
    const args = (out: string, ...extra: string[]) => [
      'pipeline',
      '--config',
      config,
      '--out',
      join(root, out),
      '--backend',
      'js',
      '--json',
      ...extra,
    ];

    const killed = await runCliProcess(args('run'), /\[dpo\] 2\/\d+ steps/);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stderr).toMatch(/stage dpo started/);
    const stages = readdirSync(join(root, 'run', 'stages')).filter((f) => !f.startsWith('.'));
    expect(stages.sort()).toEqual(['stage-reward', 'stage-sft']);

    const resumed = await runCliProcess(args('run', '--resume'));
    expect(resumed.stderr).not.toMatch(/^rlhf: (?!done$)/m); // no error line
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/stage sft restored/);
    expect(resumed.stderr).toMatch(/stage reward restored/);
    expect(resumed.stderr).not.toMatch(/stage sft started/);
    expect(resumed.stderr).not.toMatch(/stage reward started/);
    expect(resumed.stderr).toMatch(/stage dpo started/);

    const unbroken = await runCliProcess(args('unbroken'));
    expect(unbroken.code).toBe(0);
    const a = lastJson(unbroken.stdout);
    const b = lastJson(resumed.stdout);
    expect(Object.keys(b.thong_ke).sort()).toEqual([
      'dpo_trainer',
      'reward_done',
      'reward_model',
      'rlhf_done',
      'sft_done',
      'sft_trainer',
    ]);
    expect(b.thong_ke.rlhf_done).toBe(true);
    expect(timeless(b.ket_qua)).toEqual(timeless(a.ket_qua));
    expect(existsSync(join(root, 'run', 'report.html'))).toBe(true);
  }, 300_000);
});
