import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ParsedArgs, UsageError } from '../args.js';
import type { CommandOutput } from '../output.js';

/**
 * `rlhf bench [--backend NAME ...] [--filter NAME] [--quick]`: the repository's benchmark suite
 * (`benchmarks/dist/run.js`, built by `pnpm build`) — tokens/s and GFLOP/s on every installed backend, side
 * by side with PyTorch where it is installed. Run from the repository root (the same as `pnpm bench`).
 *
 * @example
 * ```sh
 * rlhf bench --backend js --filter matmul
 * ```
 */
export async function benchCommand(args: ParsedArgs, out: CommandOutput): Promise<void> {
  const runner = resolve('benchmarks/dist/run.js');
  if (!existsSync(runner)) {
    throw new UsageError(
      `${runner} is missing: run \`rlhf bench\` from a built checkout of the repository (pnpm build), or use \`pnpm bench\`.`,
    );
  }
  const argv = [...args.flags]
    .filter(([k]) => k !== 'verbose')
    .flatMap(([k, v]) => (v === true ? [`--${k}`] : [`--${k}`, v]));
  const code = await new Promise<number>((done) => {
    spawn(process.execPath, [runner, ...argv], { stdio: 'inherit' }).on('exit', (c) => done(c ?? 1));
  });
  if (code !== 0) throw new UsageError(`the benchmarks exited with code ${code}.`);
  out.info('benchmarks done');
}
