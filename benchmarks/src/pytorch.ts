import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's interpreter with `python3-torch` (the `python3` first on PATH may be another one). */
export const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../pytorch/train_step.py', import.meta.url));

/**
 * Debian's tcmalloc (`libtcmalloc-minimal4`): PyTorch is run with it (or jemalloc) for CPU training, since
 * with glibc's allocator every step page-faults its large blocks back (measured on a 2-core AMD EPYC: the
 * 3.43M Llama step at 2,067–2,181 tokens/s with glibc, 6,070–6,360 with tcmalloc). `RLHF_BENCH_TCMALLOC`
 * names another library.
 */
export const TCMALLOC_PATH = '/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4';

/** OpenMP's wait policy for PyTorch's threads: `PASSIVE`, or `default` (the variable left unset). */
export type OmpWaitPolicy = 'PASSIVE' | 'default';

/** The tcmalloc library PyTorch is preloaded with, or null when it is not installed. */
export function tcmallocLibrary(env: NodeJS.ProcessEnv = process.env): string | null {
  const path = env.RLHF_BENCH_TCMALLOC ?? TCMALLOC_PATH;
  return existsSync(path) ? path : null;
}

/**
 * The allocator this process runs on, read from its memory map: `tcmalloc` when a tcmalloc library is
 * mapped (`LD_PRELOAD`), else `glibc` (`unknown` where /proc is absent).
 *
 * @example
 * ```ts
 * processAllocator(); // 'glibc' for `pnpm bench`, 'tcmalloc' under LD_PRELOAD=libtcmalloc_minimal.so.4
 * ```
 */
export function processAllocator(maps = '/proc/self/maps'): string {
  if (!existsSync(maps)) return 'unknown';
  return /libtcmalloc/.test(readFileSync(maps, 'utf8')) ? 'tcmalloc' : 'glibc';
}

/**
 * The environment of the PyTorch child process only (nothing else sees it): tcmalloc preloaded when
 * installed; on this CPU family OpenBLAS misdetects the core type and needs `OPENBLAS_CORETYPE=SKYLAKEX`
 * to reach ~300 GFLOP/s (architecture.md); and the OpenMP wait policy asked for (spinning threads can
 * collapse on a shared machine — the Llama step took 11 s with two spinning threads and 0.7 s with
 * `PASSIVE` on two loaded cores — but may win on a quiet one, so the harness tries both).
 */
export function pytorchEnv(policy: OmpWaitPolicy, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, OPENBLAS_CORETYPE: env.OPENBLAS_CORETYPE ?? 'SKYLAKEX' };
  const tcmalloc = tcmallocLibrary(env);
  if (tcmalloc) out.LD_PRELOAD = env.LD_PRELOAD ? `${tcmalloc}:${env.LD_PRELOAD}` : tcmalloc;
  if (policy === 'PASSIVE') out.OMP_WAIT_POLICY = 'PASSIVE';
  else delete out.OMP_WAIT_POLICY;
  return out;
}

/** One PyTorch measurement, as `train_step.py` prints it. */
export interface PytorchMeasurement {
  model: string;
  benchmark: string;
  tokensPerSecond: number;
  medianMs: number;
  minMs: number;
  samplesMs: number[];
  warmup: number;
  peakRssMB: number;
  parameters: number;
  batchSize: number;
  seqLen: number;
  threads: number;
  torch: string;
  firstLoss: number;
  lastLoss: number;
  /** The allocator the PyTorch process ran on (`tcmalloc` when preloaded, else `glibc`). */
  allocator: string;
  /** The OpenMP wait policy it ran with. */
  ompWaitPolicy: OmpWaitPolicy;
}

/**
 * Whether PyTorch can be run for the comparison: `/usr/bin/python3` exists and imports torch. Returns
 * the reason when not.
 *
 * @example
 * ```ts
 * const why = await pytorchUnavailable(); // null when python3-torch is installed
 * ```
 */
export async function pytorchUnavailable(): Promise<string | null> {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  try {
    await run(PYTHON, ['-c', 'import torch'], { env: pytorchEnv('PASSIVE'), timeout: 120_000 });
    return null;
  } catch {
    return `${PYTHON} cannot import torch (install Debian's python3-torch)`;
  }
}

/**
 * Times `train_step.py --model <model>` in a child process (its own peak memory).
 *
 * @example
 * ```ts
 * const m = await runPytorch('llama', { steps: 3, warmup: 1, threads: 2, quick: false, policy: 'PASSIVE' });
 * console.log(m.tokensPerSecond);
 * ```
 */
export async function runPytorch(
  model: 'llama' | 'gpt2',
  options: { steps: number; warmup: number; threads: number; quick: boolean; policy: OmpWaitPolicy },
): Promise<PytorchMeasurement> {
  const args = [SCRIPT, '--model', model, '--steps', String(options.steps), '--warmup', String(options.warmup)];
  args.push('--threads', String(options.threads));
  if (options.quick) args.push('--quick');
  const { stdout } = await run(PYTHON, args, {
    env: pytorchEnv(options.policy),
    timeout: 3_600_000,
    maxBuffer: 1 << 20,
  });
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as PytorchMeasurement;
}
