import type { TensorBackend } from '@rlhf/core';

/** What a benchmark gets for one run on one backend. */
export interface BenchContext {
  backend: TensorBackend;
  /** Tiny sizes, one measured run, no warm-up: checks that the benchmark works, not how fast. */
  quick: boolean;
  /** Measured runs (overrides the benchmark's default). */
  repeats?: number;
  /** Progress messages (to stderr in the CLI). */
  log: (message: string) => void;
}

/** One measured figure of one benchmark on one backend. */
export interface BenchMeasurement {
  /** Name of the headline figure, e.g. `GFLOP/s` or `tokens/s`. Higher is better. */
  metric: string;
  /** The headline figure, computed from the median run time. */
  value: number;
  /** Median duration of one measured run. */
  medianMs: number;
  /** Fastest measured run. */
  minMs: number;
  /** Every measured run. */
  samplesMs: number[];
  /** Untimed warm-up runs. */
  warmup: number;
  /** Sizes and settings of the run, and any secondary figures. */
  params: Record<string, number | string | boolean>;
}

/** A registered benchmark. */
export interface Benchmark {
  /** Unique kebab-case name, matched by `--filter`. */
  name: string;
  /** One line for the table and `--help`. */
  description: string;
  /**
   * Backends to run the full-size benchmark on (all when absent); the others are skipped with a note.
   * `--quick` ignores it. For benchmarks too heavy for the slow backends (GPT-2 small).
   */
  onlyBackends?: readonly string[];
  /**
   * The model of `benchmarks/pytorch/train_step.py` that times the same step in PyTorch, for the
   * ours/PyTorch ratio (run when Debian's python3-torch is installed).
   */
  pytorchModel?: 'llama' | 'gpt2';
  /**
   * Untimed warm-up steps and measured steps of a full-size run, shared by the benchmark and its PyTorch
   * twin so both sides are timed on the same schedule (`--repeats` overrides `repeats` for both).
   */
  schedule?: Schedule;
  /**
   * Rounds when compared with PyTorch (ours, PyTorch, ours, PyTorch, …; `--rounds` overrides it). More
   * rounds of fewer steps each spread a machine's drift more evenly over both sides of the ratio.
   * @defaultValue 2
   */
  rounds?: number;
  run(context: BenchContext): Promise<BenchMeasurement>;
  /**
   * Optional: when several backends run this benchmark in one process, the harness calls this once with
   * every backend's context instead of `run` per backend, and the benchmark interleaves their work (see
   * `measureInterleaved`) so that the machine's drift lands on every side of their ratio. One measurement
   * per context, in order.
   */
  runInterleaved?(contexts: readonly BenchContext[]): Promise<BenchMeasurement[]>;
}

/** Untimed warm-up steps and measured steps. */
export interface Schedule {
  warmup: number;
  repeats: number;
}

/**
 * The steps of one run under `schedule`: none untimed and one measured with `--quick`, and `--repeats`
 * (when given) in place of the schedule's measured steps. Benchmarks and their PyTorch twins both use it.
 *
 * @example
 * ```ts
 * stepsOf({ warmup: 3, repeats: 10 }, false, undefined); // { warmup: 3, repeats: 10 }
 * ```
 */
export function stepsOf(schedule: Schedule, quick: boolean, repeats: number | undefined): Schedule {
  return quick
    ? { warmup: 0, repeats: repeats ?? 1 }
    : { warmup: schedule.warmup, repeats: repeats ?? schedule.repeats };
}
