/**
 * One-file WebGPU check for a machine with a GPU (issue 13): which adapters Dawn finds (every attempt and
 * error printed), then on the best one: matmul GFLOP/s at 1024², 2048², 4096², and the Llama 3.43M and
 * GPT-2-small (124M) training steps in tokens/s — the same steps `pnpm bench` times. Prints everything as
 * it goes and a JSON summary at the end; installs and downloads nothing.
 *
 * Build the single-file bundle (plus Dawn's native `dawn.node` beside it) with
 * `node benchmarks/scripts/bundle-gpu-check.mjs`, which writes `benchmarks/gpu-check/`; carry that folder
 * to the GPU machine and run `node benchmarks/gpu-check/gpu-check.mjs` (add `--quick` for tiny sizes, as a
 * test on the CPU). Node 20, no node_modules needed there.
 */
import { createWebGpuBackend, describeAdapter, type WebGpuBackend } from '@rlhf/backend-webgpu';
import { type DawnAttempt, dawnGpu } from '@rlhf/backend-webgpu/node';
import { matmul, Random, randomNormal, slice, tidy } from '@rlhf/core';
import { gpt2TrainStepBenchmark } from './suites/gpt2-train-step.js';
import { llamaTrainStepBenchmark } from './suites/llama-train-step.js';

const quick = process.argv.includes('--quick');
const summary: Record<string, unknown> = {
  quick,
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
};
const log = (message: string) => console.log(`[gpu-check ${(performance.now() / 1000).toFixed(1)}s] ${message}`);
const errorText = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** The Dawn entry points probed, in order of preference for the measurements. */
const PROBES: readonly DawnAttempt[] = [
  { dawnOptions: [], featureLevel: 'core' },
  { dawnOptions: ['backend=vulkan'], featureLevel: 'core' },
  { dawnOptions: ['backend=opengles'], featureLevel: 'compatibility' },
];

/** H200's FP32 (non-tensor-core) peak, TFLOP/s, from NVIDIA's data sheet (SXM). */
const H200_FP32_TFLOPS = 67;
/** Our onnxruntime CPU figure for the GPT-2-small step (issue 13), tokens/s. */
const ONNXRUNTIME_GPT2_TOKENS_PER_S = 93;

async function probeAdapters(): Promise<DawnAttempt | undefined> {
  const found: Record<string, unknown>[] = [];
  let best: DawnAttempt | undefined;
  for (const probe of PROBES) {
    const label = `create([${probe.dawnOptions.join(', ')}]) featureLevel ${probe.featureLevel}`;
    for (const powerPreference of ['high-performance', 'low-power'] as const) {
      try {
        const adapter = await dawnGpu(probe.dawnOptions).requestAdapter({
          featureLevel: probe.featureLevel,
          powerPreference,
        });
        if (!adapter) {
          log(`${label} ${powerPreference}: no adapter`);
          found.push({ probe: label, powerPreference, adapter: null });
          continue;
        }
        const limits: Record<string, number> = {};
        for (const k of [
          'maxStorageBufferBindingSize',
          'maxBufferSize',
          'maxComputeInvocationsPerWorkgroup',
          'maxComputeWorkgroupStorageSize',
          'maxStorageBuffersPerShaderStage',
          'maxComputeWorkgroupsPerDimension',
        ] as const) {
          limits[k] = adapter.limits[k];
        }
        const info = describeAdapter(adapter);
        log(
          `${label} ${powerPreference}: ${info}; features ${[...adapter.features].join(' ')}; ${JSON.stringify(limits)}`,
        );
        found.push({ probe: label, powerPreference, adapter: info, limits });
        const software = /swiftshader|llvmpipe|lavapipe|software/i.test(info);
        if (!best && !software) best = probe;
      } catch (error) {
        log(`${label} ${powerPreference}: ${errorText(error)}`);
        found.push({ probe: label, powerPreference, error: errorText(error) });
      }
    }
  }
  summary.adapters = found;
  return best;
}

async function matmulGflops(backend: WebGpuBackend, n: number, repeats: number): Promise<number> {
  const rng = new Random(0);
  const a = randomNormal(backend, [n, n], rng);
  const b = randomNormal(backend, [n, n], rng);
  try {
    const once = async () => {
      const probe = tidy(() => slice(matmul(a, b), [0, 0], [1, 1]));
      await probe.data();
      probe.dispose();
    };
    await once(); // compiles the pipeline
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const start = performance.now();
      await once();
      times.push(performance.now() - start);
    }
    times.sort((x, y) => x - y);
    const ms = times[times.length >> 1] as number;
    return (2 * n ** 3) / (ms / 1000) / 1e9;
  } finally {
    a.dispose();
    b.dispose();
  }
}

async function main(): Promise<void> {
  log(`node ${process.version} ${process.platform}-${process.arch}${quick ? ' (--quick: tiny sizes)' : ''}`);
  const best = await probeAdapters();
  let backend: WebGpuBackend;
  try {
    backend = await createWebGpuBackend({
      powerPreference: 'high-performance',
      ...(best ? { dawnAttempts: [best] } : {}),
    });
  } catch (error) {
    log(`no backend: ${errorText(error)}`);
    summary.backendError = errorText(error);
    return;
  }
  log(`backend on ${backend.adapterInfo}`);
  summary.backend = backend.adapterInfo;
  summary.hardwareAdapter = best !== undefined;

  const sizes = quick ? [64, 128] : [1024, 2048, 4096];
  const matmuls: Record<string, number | string> = {};
  for (const n of sizes) {
    try {
      const gflops = await matmulGflops(backend, n, quick ? 2 : n >= 4096 ? 5 : 10);
      matmuls[`${n}`] = gflops;
      log(
        `matmul ${n}³: ${gflops.toFixed(1)} GFLOP/s (${((gflops / 1000 / H200_FP32_TFLOPS) * 100).toFixed(1)} % of an H200's FP32 peak)`,
      );
    } catch (error) {
      matmuls[`${n}`] = errorText(error);
      log(`matmul ${n}³ failed: ${errorText(error)}`);
    }
  }
  summary.matmulGflops = matmuls;

  for (const bench of [llamaTrainStepBenchmark, gpt2TrainStepBenchmark]) {
    try {
      const m = await bench.run({
        backend,
        quick,
        log,
        ...(quick ? {} : { repeats: bench.name.startsWith('gpt2') ? 5 : 10 }),
      });
      summary[bench.name] = { tokensPerS: m.value, medianMs: m.medianMs, samplesMs: m.samplesMs, params: m.params };
      log(
        `${bench.name}: ${m.value.toFixed(0)} tokens/s (median step ${m.medianMs.toFixed(1)} ms; ${JSON.stringify(m.params)})`,
      );
      if (bench.name.startsWith('gpt2') && !quick) {
        log(
          `  = ${(m.value / ONNXRUNTIME_GPT2_TOKENS_PER_S).toFixed(1)}× the onnxruntime CPU figure (${ONNXRUNTIME_GPT2_TOKENS_PER_S} tokens/s)`,
        );
      }
    } catch (error) {
      summary[bench.name] = { error: errorText(error) };
      log(`${bench.name} failed: ${errorText(error)}`);
    }
  }
  summary.stats = backend.stats();
}

const watchdog = setTimeout(() => {
  log('time limit (9 minutes) reached; printing what was measured');
  console.log(`GPU-CHECK-SUMMARY ${JSON.stringify(summary)}`);
  process.exit(2);
}, 9 * 60_000);
main()
  .catch((error: unknown) => {
    summary.fatal = errorText(error);
    log(`fatal: ${errorText(error)}`);
  })
  .finally(() => {
    clearTimeout(watchdog);
    console.log(`GPU-CHECK-SUMMARY ${JSON.stringify(summary)}`);
    process.exit(0);
  });
