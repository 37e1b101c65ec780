import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { type BackendComparison, compareWithJs, formatBackendComparisons } from './backend-comparisons.js';
import { type LoadedBackend, loadBackends, type SkippedBackend } from './backends.js';
import { comparePytorch, formatComparisons, PYTORCH, type PytorchComparison } from './comparisons.js';
import {
  type OmpWaitPolicy,
  type PytorchMeasurement,
  processAllocator,
  pytorchUnavailable,
  runPytorch,
  tcmallocLibrary,
} from './pytorch.js';
import { BENCHMARKS, type BenchMeasurement, type Benchmark } from './suites/index.js';
import { stepsOf } from './suites/types.js';
import { textTable } from './text-table.js';
import { median } from './timing.js';

/** Version of the JSON layout of {@link BenchReport}; bump on incompatible changes. */
export const REPORT_SCHEMA_VERSION = 1;

/** Options of {@link runBenchmarks}. */
export interface RunOptions {
  /** Run only benchmarks whose name contains one of these strings (all when empty). */
  filters?: readonly string[];
  /** Run only on these backends (every installed one when empty). */
  backends?: readonly string[];
  /** Tiny sizes, one run each: a smoke test of the harness, not a measurement. */
  quick?: boolean;
  /** Measured runs per benchmark (each benchmark has its own default). */
  repeats?: number;
  /** Progress messages. @defaultValue writes to stderr */
  log?: (message: string) => void;
  /** The benchmarks to choose from. @defaultValue {@link BENCHMARKS} */
  benchmarks?: readonly Benchmark[];
  /**
   * Also time the benchmarks that have a `pytorchModel` in PyTorch (`benchmarks/pytorch/train_step.py`,
   * when `/usr/bin/python3` imports torch) and compare. @defaultValue true unless `quick`
   */
  pytorch?: boolean;
  /**
   * Rounds of a benchmark that is compared with PyTorch: each round times every backend and then
   * PyTorch, and a backend's samples from all rounds make its figure. Alternating spreads the drift of a
   * shared machine's load over both sides of the ratio. @defaultValue the benchmark's `rounds`, else 2 (1
   * when PyTorch does not run)
   */
  rounds?: number;
  /** Runs one PyTorch measurement (tests replace it). @defaultValue {@link runPytorch} */
  runPytorch?: typeof runPytorch;
}

/** The OpenMP wait policy chosen for a benchmark's PyTorch twin, and what each policy measured. */
export interface PolicyChoice {
  policy: OmpWaitPolicy;
  /** Median step time of each policy tried, e.g. `PASSIVE 6866 ms, default 18379 ms`. */
  probe: string;
}

/** One benchmark on one backend. */
export interface BenchResult extends BenchMeasurement {
  benchmark: string;
  backend: string;
}

/** A benchmark that failed on a backend (the run goes on; the CLI exits non-zero). */
export interface BenchFailure {
  benchmark: string;
  backend: string;
  error: string;
}

/** Everything one `pnpm bench` produced: written to `bench-results/latest.json`. */
export interface BenchReport {
  schemaVersion: number;
  createdAt: string;
  quick: boolean;
  environment: { node: string; platform: string; arch: string; cpus: number; cpuModel: string };
  backends: { loaded: { name: string; packageName: string }[]; skipped: SkippedBackend[] };
  results: BenchResult[];
  failures: BenchFailure[];
  /** Each backend against PyTorch (results of backend `pytorch`), when PyTorch ran. */
  comparisons?: PytorchComparison[];
  /** Each backend against backend-js, for the benchmarks both ran. */
  backendComparisons?: BackendComparison[];
}

/** Runs every selected benchmark on every selected backend, one after the other. */
export async function runBenchmarks(options: RunOptions = {}): Promise<BenchReport> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const filters = options.filters ?? [];
  const all = options.benchmarks ?? BENCHMARKS;
  const selected = all.filter((b) => filters.length === 0 || filters.some((f) => b.name.includes(f)));
  if (selected.length === 0) {
    throw new Error(
      `no benchmark matches --filter ${filters.join(', ')} (known: ${all.map((b) => b.name).join(', ')})`,
    );
  }
  const { loaded, skipped } = await loadBackends(options.backends ?? []);
  for (const s of skipped) log(`backend ${s.name} (${s.packageName}) skipped: ${s.reason}`);
  const quick = options.quick ?? false;
  const report: BenchReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    quick,
    environment: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    },
    backends: { loaded: loaded.map(({ name, packageName }) => ({ name, packageName })), skipped },
    results: [],
    failures: [],
  };
  // Benchmark by benchmark, so that each one's PyTorch twin runs right after it (the same minutes of machine
  // load: on a shared machine that matters more than anything else for the ratio).
  const pytorchWanted = (options.pytorch ?? !quick) && selected.some((b) => b.pytorchModel);
  // A runner given by the caller (tests) needs no local torch.
  const pytorchMissing = pytorchWanted && !options.runPytorch ? await pytorchUnavailable() : null;
  if (pytorchMissing) log(`PyTorch comparison skipped: ${pytorchMissing}`);
  else if (pytorchWanted && !options.runPytorch && !tcmallocLibrary()) {
    log(
      "WARNING: tcmalloc not found: PyTorch runs on glibc malloc, a handicapped baseline (run `pnpm bench:setup`, or install Debian's libtcmalloc-minimal4)",
    );
  }
  for (const bench of selected) {
    const twin = pytorchWanted && !pytorchMissing && bench.pytorchModel !== undefined;
    const rounds = twin ? (options.rounds ?? bench.rounds ?? 2) : 1;
    const before = report.results.length;
    let policy: PolicyChoice | null = null;
    for (let round = 1; round <= rounds; round++) {
      if (rounds > 1) log(`${bench.name}: round ${round} of ${rounds}`);
      await runOnBackends(bench, loaded, quick, options.repeats, report, log);
      if (twin) policy = await runPytorchTwin(bench, report, options.repeats, log, policy, options.runPytorch);
    }
    if (rounds > 1) report.results.splice(before, Infinity, ...mergeRounds(report.results.slice(before)));
  }
  if (pytorchWanted && !pytorchMissing) report.comparisons = comparePytorch(report.results);
  const againstJs = compareWithJs(report.results, PYTORCH);
  if (againstJs.length > 0) report.backendComparisons = againstJs;
  return report;
}

/** Times `bench` on every loaded backend, appending to `report`. */
async function runOnBackends(
  bench: Benchmark,
  loaded: readonly LoadedBackend[],
  quick: boolean,
  repeats: number | undefined,
  report: BenchReport,
  log: (message: string) => void,
): Promise<void> {
  const eligible = loaded.filter(({ name: backendName }) => {
    if (quick || !bench.onlyBackends || bench.onlyBackends.includes(backendName)) return true;
    log(`skipping ${bench.name} on ${backendName}: full size runs only on ${bench.onlyBackends.join(', ')}`);
    return false;
  });
  const record = (backendName: string, m: BenchMeasurement, load1: number) => {
    m.params.load1 = Math.round(load1 * 10) / 10;
    m.params.allocator = processAllocator();
    report.results.push({ benchmark: bench.name, backend: backendName, ...m });
    log(
      `  ${backendName}: ${formatNumber(m.value)} ${m.metric} (median ${m.medianMs.toFixed(1)} ms of ${m.samplesMs.length})`,
    );
  };
  const fail = (backendName: string, error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    report.failures.push({ benchmark: bench.name, backend: backendName, error: message });
    log(`  FAILED on ${backendName}: ${message}`);
  };
  if (bench.runInterleaved && eligible.length > 1) {
    const names = eligible.map((b) => b.name);
    log(`running ${bench.name} on ${names.join(', ')}, interleaved${quick ? ' (quick)' : ''} ...`);
    try {
      const load1 = loadavg()[0] as number;
      const contexts = eligible.map(({ backend }) => ({
        backend,
        quick,
        log,
        ...(repeats === undefined ? {} : { repeats }),
      }));
      const measurements = await bench.runInterleaved(contexts);
      if (measurements.length !== names.length)
        throw new Error(`${bench.name}: ${measurements.length} measurements for ${names.length} backends`);
      measurements.forEach((m, i) => {
        record(names[i] as string, m, load1);
      });
    } catch (error) {
      for (const name of names) fail(name, error);
    }
    return;
  }
  for (const { name: backendName, backend } of eligible) {
    log(`running ${bench.name} on ${backendName}${quick ? ' (quick)' : ''} ...`);
    try {
      const load1 = loadavg()[0] as number;
      const m = await bench.run({
        backend,
        quick,
        log,
        ...(repeats === undefined ? {} : { repeats }),
      });
      record(backendName, m, load1);
    } catch (error) {
      fail(backendName, error);
    }
  }
}

/**
 * One result per backend from the rounds of a benchmark: the samples of every round, their median and
 * minimum, and the figure rescaled to that median (the figures compared with PyTorch are rates, inversely
 * proportional to the run time). Details come from the last round, plus `rounds`.
 */
export function mergeRounds(results: readonly BenchResult[]): BenchResult[] {
  const byBackend = new Map<string, BenchResult[]>();
  for (const r of results) byBackend.set(r.backend, [...(byBackend.get(r.backend) ?? []), r]);
  return [...byBackend.values()].map((rs) => {
    const first = rs[0] as BenchResult;
    const last = rs[rs.length - 1] as BenchResult;
    if (rs.length === 1) return first;
    if (!first.metric.endsWith('/s')) throw new Error(`cannot merge rounds of ${first.metric} (not a rate)`);
    const samplesMs = rs.flatMap((r) => r.samplesMs);
    const medianMs = median(samplesMs);
    return {
      ...last,
      value: (first.value * first.medianMs) / medianMs,
      medianMs,
      minMs: Math.min(...samplesMs),
      samplesMs,
      // The busiest round's one-minute load average: the figure is only as good as its worst minutes.
      params: { ...last.params, rounds: rs.length, ...maxLoad(rs) },
    };
  });
}

function maxLoad(rs: readonly BenchResult[]): { load1?: number } {
  const loads = rs.map((r) => r.params.load1).filter((v): v is number => typeof v === 'number');
  return loads.length === 0 ? {} : { load1: Math.max(...loads) };
}

/**
 * Times a benchmark's PyTorch twin (`benchmarks/pytorch/train_step.py`, tcmalloc preloaded when installed)
 * and records it as backend `pytorch`. The first round runs it under both OpenMP wait policies (`PASSIVE`
 * and the default) and keeps the faster — which one wins depends on the machine and its load — and later
 * rounds reuse that choice. Returns the choice (null when PyTorch failed).
 */
async function runPytorchTwin(
  bench: Benchmark,
  report: BenchReport,
  repeats: number | undefined,
  log: (message: string) => void,
  chosen: PolicyChoice | null,
  runner: typeof runPytorch = runPytorch,
): Promise<PolicyChoice | null> {
  const load1 = loadavg()[0] as number;
  const steps = stepsOf(bench.schedule ?? { warmup: 1, repeats: 3 }, report.quick, repeats);
  const once = async (policy: OmpWaitPolicy): Promise<PytorchMeasurement> => {
    log(`running ${bench.name} in PyTorch (OMP_WAIT_POLICY ${policy}) ...`);
    const m = await runner(bench.pytorchModel as 'llama' | 'gpt2', {
      steps: steps.repeats,
      warmup: steps.warmup,
      threads: availableParallelism(),
      quick: report.quick,
      policy,
    });
    log(
      `  ${formatNumber(m.tokensPerSecond)} tokens/s (median ${m.medianMs.toFixed(1)} ms of ${m.samplesMs.length}, ${m.allocator})`,
    );
    return m;
  };
  try {
    let m: PytorchMeasurement;
    let choice: PolicyChoice;
    if (chosen) {
      m = await once(chosen.policy);
      choice = chosen;
    } else {
      const tried = [await once('PASSIVE'), await once('default')];
      m = tried.reduce((best, x) => (x.medianMs < best.medianMs ? x : best));
      const probe = tried.map((x) => `${x.ompWaitPolicy} ${Math.round(x.medianMs)} ms`).join(', ');
      choice = { policy: m.ompWaitPolicy, probe };
    }
    const { tokensPerSecond, medianMs, minMs, samplesMs, warmup } = m;
    const { parameters, batchSize, seqLen, threads, torch, firstLoss, lastLoss, peakRssMB, allocator } = m;
    report.results.push({
      benchmark: bench.name,
      backend: PYTORCH,
      metric: 'tokens/s',
      value: tokensPerSecond,
      medianMs,
      minMs,
      samplesMs,
      warmup,
      params: {
        parameters,
        batchSize,
        seqLen,
        threads,
        torch,
        firstLoss,
        lastLoss,
        peakRssMB: Math.round(peakRssMB),
        allocator,
        ompWaitPolicy: choice.policy,
        policyProbe: choice.probe,
        load1: Math.round(load1 * 10) / 10,
      },
    });
    return choice;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    report.failures.push({ benchmark: bench.name, backend: PYTORCH, error: message });
    log(`  FAILED: ${message}`);
    return chosen;
  }
}

/** The results as a plain-text table (one row per benchmark and backend). */
export function formatTable(report: BenchReport): string {
  const header = ['benchmark', 'backend', 'value', 'metric', 'median ms', 'runs', 'details'];
  const rows = report.results.map((r) => [
    r.benchmark,
    r.backend,
    formatNumber(r.value),
    r.metric,
    r.medianMs.toFixed(1),
    String(r.samplesMs.length),
    Object.entries(r.params)
      .map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(4) : v}`)
      .join(' '),
  ]);
  for (const f of report.failures)
    rows.push([f.benchmark, f.backend, 'FAILED', '', '', '', f.error.split('\n')[0] ?? '']);
  const sections = [textTable(header, rows, (i) => i === 2 || i === 4 || i === 5)];
  const comparisons = formatComparisons(report.comparisons ?? []);
  if (comparisons) sections.push(`Against PyTorch (same run):\n${comparisons}`);
  const againstJs = formatBackendComparisons(report.backendComparisons ?? []);
  if (againstJs) sections.push(`Against backend-js (same run):\n${againstJs}`);
  return sections.join('\n\n');
}

/** Writes the report as pretty-printed JSON, creating the folder. */
export function writeReport(report: BenchReport, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}

function formatNumber(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  const abs = Math.abs(v);
  return v.toFixed(abs >= 100 ? 0 : abs >= 1 ? 2 : 4);
}
