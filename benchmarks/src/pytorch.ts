import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's interpreter with `python3-torch` (the `python3` first on PATH may be another one). */
export const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../pytorch/train_step.py', import.meta.url));

/**
 * The environment of the PyTorch child process only (nothing else sees it): on this CPU, OpenBLAS
 * misdetects the core type and needs `OPENBLAS_CORETYPE=SKYLAKEX` to reach ~300 GFLOP/s
 * (architecture.md); and OpenMP's spin-waiting threads collapse on a shared machine (the Llama step took
 * 11 s with two spinning threads and 0.7 s with `OMP_WAIT_POLICY=PASSIVE` on two loaded cores), so
 * PyTorch gets passive waiting — as our onnxruntime sessions do (no spinning).
 */
function pytorchEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    OPENBLAS_CORETYPE: process.env.OPENBLAS_CORETYPE ?? 'SKYLAKEX',
    OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE',
  };
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
    await run(PYTHON, ['-c', 'import torch'], { env: pytorchEnv(), timeout: 120_000 });
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
 * const m = await runPytorch('llama', { steps: 3, threads: 2 });
 * console.log(m.tokensPerSecond);
 * ```
 */
export async function runPytorch(
  model: 'llama' | 'gpt2',
  options: { steps: number; warmup: number; threads: number; quick: boolean },
): Promise<PytorchMeasurement> {
  const args = [SCRIPT, '--model', model, '--steps', String(options.steps), '--warmup', String(options.warmup)];
  args.push('--threads', String(options.threads));
  if (options.quick) args.push('--quick');
  const { stdout } = await run(PYTHON, args, { env: pytorchEnv(), timeout: 3_600_000, maxBuffer: 1 << 20 });
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as PytorchMeasurement;
}
