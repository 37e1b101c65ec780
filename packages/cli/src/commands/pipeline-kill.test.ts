import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '@rlhf/models/testing';
import { describe, expect, it } from 'vitest';

/**
 * The kill test of issue 12: `rlhf pipeline` is killed with SIGKILL at seeded random moments (and, every
 * fourth time, exactly while a stage checkpoint is being written, through the
 * `RLHF_TEST_CHECKPOINT_PAUSE_MS` hook), each time resumed with `--resume`, until it finishes; the final
 * policy must be bit-identical to an unbroken run's, and `logs.jsonl` and the stored history must hold
 * each step exactly once. Then two runs started together into one folder: one fails at once with the
 * lock error, the other completes with the unbroken run's outputs.
 */

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = join(repo, 'packages/cli/dist/bin.js');
const KILLS = 20;
const PAUSE_MS = 120;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the built CLI; kills it with SIGKILL after `killAfterMs`, or when stderr matches `killOn`. */
function runCli(args: string[], kill: { afterMs?: number; on?: RegExp } = {}): Promise<Run> {
  return new Promise((done) => {
    const started = Date.now();
    const child: ChildProcess = spawn(process.execPath, [bin, ...args], {
      cwd: repo,
      env: { ...process.env, RLHF_TEST_CHECKPOINT_PAUSE_MS: String(PAUSE_MS) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = kill.afterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
    child.stdout?.on('data', (d) => {
      stdout += String(d);
    });
    child.stderr?.on('data', (d) => {
      stderr += String(d);
      if (kill.on?.test(stderr)) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      done({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Drops wall-clock figures, which differ between runs. */
function timeless(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (k, v) => (/thoi_gian|per_second|seconds|_time|elapsed|time/.test(k) ? undefined : v)),
  );
}

/** `stage:step` of every training record in logs.jsonl. */
function loggedSteps(dir: string): string[] {
  return readFileSync(join(dir, 'logs.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; stage: string; record?: { kind: string; step: number } })
    .filter((e) => e.type === 'log')
    .map((e) => `${e.stage}:${e.record?.kind}:${e.record?.step}`);
}

/** Entries whose names mark them as temporaries, anywhere in the run folder. */
function temporaries(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(tmp|old)-\d+-/.test(f));
}

describe('rlhf pipeline: SIGKILL at random moments, resumed each time', () => {
  const root = mkdtempSync(join(tmpdir(), 'rlhf-kill20-'));
  const names = ['Lily', 'Tom', 'Sue', 'Ben'];
  writeFileSync(
    join(root, 'sft.jsonl'),
    names.map((n) => JSON.stringify({ prompt: `${n} went out.`, completion: ` ${n} was happy.` })).join('\n'),
  );
  writeFileSync(
    join(root, 'prefs.jsonl'),
    names
      .map((n) => JSON.stringify({ prompt: `${n} saw a dog.`, chosen: ` ${n} smiled.`, rejected: ` ${n} cried.` }))
      .join('\n'),
  );
  const common = { kich_thuoc_batch: 2, gradient_accumulation: 1, logging_steps: 1, max_seq_length: 24 };
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
      eval_prompts: ['Kim saw a cat.'],
      sft_config: { ...common, so_vong: 1, toc_do_hoc: 1e-3 },
      reward_config: { ...common, toc_do_hoc: 1e-3 },
      dpo_config: { ...common, so_vong: 2, toc_do_hoc: 1e-3 },
      generation: { max_new_tokens: 6, temperature: 0.8, top_k: 20 },
    }),
  );
  const args = (out: string, ...extra: string[]) => [
    'pipeline',
    '--config',
    join(root, 'pipeline.json'),
    '--out',
    join(root, out),
    '--backend',
    'js',
    '--json',
    ...extra,
  ];

  it(`${KILLS} kills (some inside checkpoint writes), each resumed: the same policy bits, each step logged once`, async () => {
    expect(existsSync(bin), `${bin} is missing: run \`pnpm build\` before the tests`).toBe(true);
    const unbroken = await runCli(args('unbroken'));
    expect(unbroken.code, unbroken.stderr).toBe(0);
    const expectedPolicy = readFileSync(join(root, 'unbroken', 'policy', 'model.safetensors'));
    const expectedSteps = loggedSteps(join(root, 'unbroken'));
    const expectedResults = timeless(JSON.parse(readFileSync(join(root, 'unbroken', 'results.json'), 'utf8')));
    expect(expectedSteps.length).toBe(8); // SFT 2 steps, reward 2, DPO 2 epochs × 2

    const random = seededRandom(12); // reproducible kill moments
    let kills = 0;
    let duringWrites = 0;
    let rounds = 0;
    while (kills < KILLS) {
      const out = `round-${rounds++}`;
      let killsThisRound = 0;
      for (;;) {
        const deliberate = (kills + 1) % 4 === 0; // every fourth kill waits for a checkpoint write
        const delay = Math.floor(random() * unbroken.ms * 1.1);
        const useKill = killsThisRound < 6 && kills < KILLS;
        const run = await runCli(
          args(out, '--resume'),
          useKill ? (deliberate ? { on: /checkpoint write pending/ } : { afterMs: delay }) : {},
        );
        if (run.signal === 'SIGKILL') {
          kills++;
          killsThisRound++;
          if (deliberate || temporaries(join(root, out)).length > 0) duringWrites++;
          continue;
        }
        expect(run.code, run.stderr).toBe(0);
        break;
      }
      const dir = join(root, out);
      expect(readFileSync(join(dir, 'policy', 'model.safetensors')).equals(expectedPolicy)).toBe(true);
      const steps = loggedSteps(dir);
      expect(steps).toEqual(expectedSteps); // each step once, in order
      expect(new Set(steps).size).toBe(steps.length);
      expect(timeless(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')))).toEqual(expectedResults);
      expect(temporaries(dir)).toEqual([]); // orphans of the kills were cleaned up
      expect(JSON.parse(readFileSync(join(dir, '.rlhf-output.json'), 'utf8')).status).toBe('finished');
    }
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    expect(duringWrites).toBeGreaterThanOrEqual(5);
    console.log(`kill test: ${kills} kills in ${rounds} rounds, ${duringWrites} during checkpoint writes`);

    // Two runs started together into one folder: one fails at once naming the holder, the other completes.
    const [a, b] = await Promise.all([runCli(args('together')), runCli(args('together'))]);
    const [winner, loser] = a.code === 0 ? [a, b] : [b, a];
    expect(winner.code, winner.stderr).toBe(0);
    expect(loser.code).toBe(1);
    expect(loser.stderr).toMatch(/is in use by another run: pid \d+ on host .*rlhf pipeline .*\[OUTPUT_LOCKED\]/);
    expect(loser.ms).toBeLessThan(winner.ms);
    expect(loser.stderr).not.toMatch(/stage sft started/); // it failed before training
    expect(readFileSync(join(root, 'together', 'policy', 'model.safetensors')).equals(expectedPolicy)).toBe(true);
    expect(loggedSteps(join(root, 'together'))).toEqual(expectedSteps);
    expect(existsSync(join(root, 'together', '.rlhf-lock'))).toBe(false);

    // A finished run is never overwritten silently.
    const again = await runCli(args('together'));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/holds a finished pipeline run .*--overwrite.*\[OUTPUT_FOLDER_INVALID\]/);
  }, 480_000);
});
