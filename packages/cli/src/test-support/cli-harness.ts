import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { runCli } from '../run-cli.js';

/** What one CLI invocation gave. */
export interface CliRun {
  /** Exit code (`null` when killed). */
  code: number | null;
  /** Everything written to stdout. */
  stdout: string;
  /** Everything written to stderr. */
  stderr: string;
  /** The run was killed at its time limit (a hang). */
  timedOut: boolean;
}

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return {
    stream: new Writable({
      write(chunk, _enc, done) {
        chunks.push(String(chunk));
        done();
      },
    }),
    text: () => chunks.join(''),
  };
}

/**
 * Runs `rlhf <argv>` in this process (fast; cannot interrupt a synchronous hang: use {@link spawnCli}
 * for cases that might hang).
 *
 * @example
 * ```ts
 * const r = await runCliCaptured(['generate', '--model', dir, '--top-p', '2']);
 * ```
 */
export async function runCliCaptured(argv: readonly string[], timeoutMs = 60_000): Promise<CliRun> {
  const out = sink();
  const err = sink();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), timeoutMs);
  });
  const code = await Promise.race([runCli(argv, { stdout: out.stream, stderr: err.stream }), hang]);
  clearTimeout(timer);
  return { code: code === 'hang' ? null : code, stdout: out.text(), stderr: err.text(), timedOut: code === 'hang' };
}

/** The built CLI (`pnpm build` first). */
export const CLI_BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/**
 * Runs the built `rlhf` in a child process, killed with SIGKILL after `timeoutMs` (a hang).
 *
 * @example
 * ```ts
 * const r = await spawnCli(['generate', '--model', dir, '--max-new-tokens', '1e9'], { timeoutMs: 20_000 });
 * ```
 */
export function spawnCli(
  argv: readonly string[],
  options: { timeoutMs?: number; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_BIN, ...argv], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/**
 * Asserts that a CLI run failed with a typed error: not a hang, a non-zero exit that is not the internal
 * error status, one `rlhf: … [CODE]` line with the expected code, naming everything in `mentions`.
 *
 * @example
 * ```ts
 * expectCliError(await runCliCaptured(argv), { code: 'CONFIG', mentions: ['--top-p'] });
 * ```
 */
export function expectCliError(run: CliRun, expected: { code?: string; mentions: readonly (string | RegExp)[] }): void {
  expect(run.timedOut, 'the command hung').toBe(false);
  expect(run.stderr).not.toMatch(/\[INTERNAL\]/);
  expect(run.code, run.stderr).not.toBe(0);
  expect(run.code, run.stderr).not.toBe(70);
  const line = run.stderr.split('\n').find((l) => /^rlhf: .* \[[A-Z0-9_]+\]$/.test(l));
  expect(line, `no typed error line in stderr:\n${run.stderr}`).toBeDefined();
  if (expected.code !== undefined) expect(line).toMatch(new RegExp(`\\[${expected.code}\\]$`));
  for (const m of expected.mentions) {
    if (typeof m === 'string') expect(line).toContain(m);
    else expect(line).toMatch(m);
  }
}

/** The repository's llama2.c stories260K (checkpoint and tokenizer). */
export const STORIES260K_DIR = fileURLToPath(new URL('../../../../data/models/stories260K/', import.meta.url));

/**
 * `rlhf convert llama2c` of stories260K into `out` (a Hugging Face model folder), as most CLI tests start;
 * fails the test with the CLI's stderr when the conversion fails.
 *
 * @example
 * ```ts
 * await convertStories260K(join(root, 'base'));
 * ```
 */
export async function convertStories260K(out: string): Promise<void> {
  const model = `${STORIES260K_DIR}stories260K.bin`;
  const tokenizer = `${STORIES260K_DIR}tok512.bin`;
  const convert = await runCliCaptured([
    'convert',
    'llama2c',
    '--model',
    model,
    '--tokenizer',
    tokenizer,
    '--out',
    out,
  ]);
  expect(convert.code, convert.stderr).toBe(0);
}

/**
 * Checks a `rlhf generate --max-new-tokens 200 --temperature 0 --json` result on stories260K against the
 * model's published greedy output (ids and text, `data/models/stories260K/greedy_200_*.txt`); returns the
 * parsed result for further checks.
 *
 * @example
 * ```ts
 * expectPublishedGreedy200(await runCliCaptured(['generate', '--model', dir, '--max-new-tokens', '200', '--temperature', '0', '--json']));
 * ```
 */
export function expectPublishedGreedy200(run: CliRun): Record<string, unknown> {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const lines = run.stdout.trim().split('\n');
  const result = JSON.parse(lines[lines.length - 1] as string) as Record<string, unknown>;
  const expectedIds = readFileSync(`${STORIES260K_DIR}greedy_200_tokens.txt`, 'utf8').trim().split(/\s+/).map(Number);
  expect(result.generated_ids).toEqual(expectedIds);
  expect(result.text).toBe(readFileSync(`${STORIES260K_DIR}greedy_200_text.txt`, 'utf8'));
  return result;
}
