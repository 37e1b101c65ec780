import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBackends } from './backends.js';
import { type BenchReport, type BenchResult, formatTable, mergeRounds, runBenchmarks, writeReport } from './harness.js';
import { LLAMA_BENCH_CONFIG, llamaParameterCount } from './llama-configs.js';
import { type OmpWaitPolicy, processAllocator, pytorchEnv, type runPytorch, tcmallocLibrary } from './pytorch.js';
import { BENCHMARKS } from './suites/index.js';

const dir = mkdtempSync(join(tmpdir(), 'rlhf-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('benchmark harness (--quick)', () => {
  it('runs every benchmark once on backend-js and writes a complete report', async () => {
    const messages: string[] = [];
    const report = await runBenchmarks({ quick: true, backends: ['js'], log: (m) => messages.push(m) });
    const path = join(dir, 'latest.json');
    writeReport(report, path);
    const json = JSON.parse(readFileSync(path, 'utf8')) as BenchReport;

    expect(json.failures).toEqual([]);
    expect(json.schemaVersion).toBe(1);
    expect(json.quick).toBe(true);
    expect(json.environment.cpus).toBeGreaterThan(0);
    expect(json.backends.loaded.map((b) => b.name)).toEqual(['js']);
    expect(json.results.map((r) => r.benchmark)).toEqual(BENCHMARKS.map((b) => b.name));
    for (const r of json.results) {
      expect(r.backend).toBe('js');
      expect(typeof r.metric).toBe('string');
      expect(r.value).toBeGreaterThan(0);
      expect(Number.isFinite(r.value)).toBe(true);
      expect(r.medianMs).toBeGreaterThan(0);
      expect(r.samplesMs).toHaveLength(1);
      for (const s of r.samplesMs) expect(s).toBeGreaterThan(0);
    }
    const matmul = json.results.find((r) => r.benchmark === 'matmul');
    expect(matmul?.metric).toBe('GFLOP/s');
    expect(matmul?.params).toMatchObject({ m: 64, n: 64, k: 64 });
    const step = json.results.find((r) => r.benchmark === 'llama-train-step');
    expect(step?.metric).toBe('tokens/s');
    expect(step?.params).toMatchObject({ batchSize: 2, seqLen: 16, leakedBuffers: 0 });
    // A vocabulary of 64: the loss of a freshly initialised model is close to ln 64 ≈ 4.16.
    expect(step?.params.firstLoss).toBeGreaterThan(3.5);
    expect(step?.params.firstLoss).toBeLessThan(4.8);
    expect(messages.some((m) => m.includes('parameters'))).toBe(true);

    const table = formatTable(json);
    expect(table).toContain('GFLOP/s');
    expect(table).toContain('tokens/s');
  });

  it('filters benchmarks by name', async () => {
    const report = await runBenchmarks({ quick: true, backends: ['js'], filters: ['matmul'], log: () => {} });
    expect(report.results.map((r) => r.benchmark)).toEqual(['matmul', 'matmul-4096']); // names containing it
    await expect(runBenchmarks({ filters: ['no-such-benchmark'], log: () => {} })).rejects.toThrow(
      /no benchmark matches/,
    );
  });

  it('skips a backend package that is not installed and names it', async () => {
    const { loaded, skipped } = await loadBackends(['no-such-backend']);
    expect(loaded).toEqual([]);
    expect(skipped).toEqual([
      {
        name: 'no-such-backend',
        packageName: '@rlhf/backend-no-such-backend',
        kind: 'not-installed',
        reason: 'not installed',
      },
    ]);
  });

  it('reports a package that resolves but has no backend factory as an error, not as absent', async () => {
    const { skipped } = await loadBackends(['js'], async () => ({ somethingElse: 1 }));
    expect(skipped[0]?.kind).toBe('error');
    expect(skipped[0]?.reason).toMatch(/createJsBackend/);
  });
});

describe('mergeRounds', () => {
  const result = (backend: string, samplesMs: number[], medianMs: number): BenchResult => ({
    benchmark: 'llama-train-step',
    backend,
    metric: 'tokens/s',
    value: 1024 / (medianMs / 1000),
    medianMs,
    minMs: Math.min(...samplesMs),
    samplesMs,
    warmup: 3,
    params: { peakRssMB: 400 },
  });

  it('pools every round of a backend and rescales the rate to the pooled median', () => {
    const merged = mergeRounds([
      result('onnxruntime', [100, 300, 200], 200),
      result('pytorch', [250, 250, 250], 250),
      result('onnxruntime', [110, 120, 130], 120),
    ]);
    expect(merged.map((r) => r.backend)).toEqual(['onnxruntime', 'pytorch']);
    const ours = merged[0] as BenchResult;
    expect(ours.samplesMs).toEqual([100, 300, 200, 110, 120, 130]);
    expect(ours.medianMs).toBe(125); // (120 + 130) / 2
    expect(ours.minMs).toBe(100);
    expect(ours.value).toBeCloseTo(1024 / 0.125, 6);
    expect(ours.params.rounds).toBe(2);
    expect(merged[1]).toEqual(result('pytorch', [250, 250, 250], 250)); // one round: unchanged
  });

  it('refuses to pool figures that are not rates', () => {
    const gflops = { ...result('js', [1], 1), metric: 'ms' };
    expect(() => mergeRounds([gflops, gflops])).toThrow(/not a rate/);
  });
});

describe('benchmarks that interleave backends', () => {
  const fakeMeasurement = (value: number) => ({
    metric: 'tokens/s',
    value,
    medianMs: 1000 / value,
    minMs: 1000 / value,
    samplesMs: [1000 / value],
    warmup: 0,
    params: {},
  });

  it('runInterleaved is called once with every backend; run only when one backend runs it', async () => {
    const seen: string[][] = [];
    let runs = 0;
    const bench = {
      name: 'fake-interleaved',
      description: 'interleaves its backends',
      async run() {
        runs++;
        return fakeMeasurement(10);
      },
      async runInterleaved(contexts: readonly { backend: { name: string } }[]) {
        seen.push(contexts.map((c) => c.backend.name));
        return contexts.map((_, i) => fakeMeasurement(i === 0 ? 30 : 10));
      },
    };
    const both = await runBenchmarks({
      backends: ['onnxruntime', 'js'],
      benchmarks: [bench],
      pytorch: false,
      log: () => {},
    });
    expect(seen).toEqual([['onnxruntime', 'js']]);
    expect(runs).toBe(0);
    expect(both.results.map((r) => [r.backend, r.value, typeof r.params.load1, r.params.allocator])).toEqual([
      ['onnxruntime', 30, 'number', processAllocator()],
      ['js', 10, 'number', processAllocator()],
    ]);
    expect(both.backendComparisons?.[0]).toMatchObject({ backend: 'onnxruntime', ratio: 3 });
    const alone = await runBenchmarks({ backends: ['js'], benchmarks: [bench], pytorch: false, log: () => {} });
    expect(runs).toBe(1);
    expect(alone.results.map((r) => r.backend)).toEqual(['js']);
  });

  it('a failure of the interleaved run is recorded for every backend in it', async () => {
    const bench = {
      name: 'fake-broken',
      description: 'fails',
      run: async () => fakeMeasurement(1),
      runInterleaved: async () => {
        throw new Error('boom');
      },
    };
    const report = await runBenchmarks({
      backends: ['onnxruntime', 'js'],
      benchmarks: [bench],
      pytorch: false,
      log: () => {},
    });
    expect(report.failures.map((f) => [f.backend, f.error.split('\n')[0]])).toEqual([
      ['onnxruntime', 'Error: boom'],
      ['js', 'Error: boom'],
    ]);
  });
});

describe('PyTorch twin: allocator and OpenMP wait policy', () => {
  const fake = (msByPolicy: Record<OmpWaitPolicy, number>, calls: OmpWaitPolicy[]): typeof runPytorch => {
    return async (model, o) => {
      calls.push(o.policy);
      const ms = msByPolicy[o.policy];
      return {
        model,
        benchmark: 'llama-train-step',
        tokensPerSecond: 32 / (ms / 1000),
        medianMs: ms,
        minMs: ms,
        samplesMs: [ms],
        warmup: 0,
        peakRssMB: 300,
        parameters: 1,
        batchSize: 2,
        seqLen: 16,
        threads: 2,
        torch: '1.13.1',
        firstLoss: 4.2,
        lastLoss: 4.1,
        allocator: 'tcmalloc',
        ompWaitPolicy: o.policy,
      };
    };
  };

  it.each([
    ['PASSIVE', { PASSIVE: 40, default: 90 }],
    ['default', { PASSIVE: 70, default: 20 }],
  ] as const)('keeps the faster policy (%s) from round 1 and reuses it', async (winner, ms) => {
    const calls: OmpWaitPolicy[] = [];
    const report = await runBenchmarks({
      quick: true,
      backends: ['js'],
      filters: ['llama-train-step'],
      pytorch: true,
      rounds: 2,
      runPytorch: fake(ms, calls),
      log: () => {},
    });
    expect(calls).toEqual(['PASSIVE', 'default', winner]); // both tried once, then only the winner
    const pt = report.results.find((r) => r.benchmark === 'llama-train-step' && r.backend === 'pytorch');
    expect(pt?.medianMs).toBe(ms[winner]);
    expect(pt?.samplesMs).toEqual([ms[winner], ms[winner]]);
    expect(pt?.params).toMatchObject({
      allocator: 'tcmalloc',
      ompWaitPolicy: winner,
      policyProbe: `PASSIVE ${ms.PASSIVE} ms, default ${ms.default} ms`,
    });
    const row = report.comparisons?.find((c) => c.benchmark === 'llama-train-step' && c.backend === 'js');
    expect(row?.pytorchAllocator).toBe('tcmalloc');
    expect(row?.oursAllocator).toBe(processAllocator()); // this test process: glibc unless preloaded
    expect(row?.pytorchOmpWaitPolicy).toBe(winner);
    expect(typeof row?.oursLoad1).toBe('number');
    expect(typeof row?.pytorchLoad1).toBe('number');
    expect(formatTable(report)).toContain(`tcmalloc, ${winner}`);
  });

  it("runs a benchmark's own number of rounds unless --rounds is given", async () => {
    const calls: OmpWaitPolicy[] = [];
    const runs = async (rounds?: number) => {
      calls.length = 0;
      const report = await runBenchmarks({
        quick: true,
        backends: ['js'],
        filters: ['llama-train-step'],
        pytorch: true,
        ...(rounds === undefined ? {} : { rounds }),
        runPytorch: fake({ PASSIVE: 40, default: 90 }, calls),
        log: () => {},
      });
      const ours = report.results.find((r) => r.benchmark === 'llama-train-step' && r.backend === 'js');
      return { oursRounds: ours?.params.rounds, pytorchRuns: calls.length };
    };
    // llama-train-step asks for 4 rounds: PyTorch runs both policies in round 1, then once a round.
    expect(await runs()).toEqual({ oursRounds: 4, pytorchRuns: 5 });
    expect(await runs(2)).toEqual({ oursRounds: 2, pytorchRuns: 3 });
  });

  it('preloads tcmalloc and sets the wait policy only for the PyTorch child', () => {
    const lib = tcmallocLibrary({ RLHF_BENCH_TCMALLOC: '/no/such/libtcmalloc.so' });
    expect(lib).toBeNull();
    const env = pytorchEnv('default', { OMP_WAIT_POLICY: 'ACTIVE', RLHF_BENCH_TCMALLOC: process.execPath });
    expect(env.OMP_WAIT_POLICY).toBeUndefined(); // `default`: OpenMP's own
    expect(env.LD_PRELOAD).toBe(process.execPath); // any existing file stands in for the library
    expect(env.OPENBLAS_CORETYPE).toBe('SKYLAKEX');
    expect(pytorchEnv('PASSIVE', {}).OMP_WAIT_POLICY).toBe('PASSIVE');
    expect(process.env.LD_PRELOAD ?? '').not.toContain('tcmalloc'); // our own process is untouched
  });

  it("reads our process's allocator from its memory map", () => {
    const dir = mkdtempSync(join(tmpdir(), 'maps-'));
    writeFileSync(join(dir, 'tc'), '7f00-7f01 r-xp 0 08:01 5 /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4\n');
    writeFileSync(join(dir, 'glibc'), '7f00-7f01 r-xp 0 08:01 5 /usr/lib/x86_64-linux-gnu/libc.so.6\n');
    expect(processAllocator(join(dir, 'tc'))).toBe('tcmalloc');
    expect(processAllocator(join(dir, 'glibc'))).toBe('glibc');
    expect(processAllocator(join(dir, 'absent'))).toBe('unknown');
  });
});

describe('Llama benchmark model', () => {
  it('has the 3.43M parameters issue 8 compares against PyTorch', () => {
    expect(llamaParameterCount(LLAMA_BENCH_CONFIG)).toBe(3_426_560);
  });
});
