// Profiles one model's training step on the onnxruntime backend: onnxruntime's per-kernel profile summed by
// op type and by node, the executor's plan/run split, and the process's peak RSS.
// Usage: node benchmarks/scripts/profile-step.mjs [gpt2|llama] [steps] [outDir]
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOnnxRuntimeBackend } from '@rlhf/backend-onnxruntime';
import { Random } from '@rlhf/core';
import { GPT2LMHeadModel, LlamaForCausalLM } from '@rlhf/models';
import { GPT2_BENCH_BATCH, GPT2_BENCH_CONFIG } from '../dist/gpt2-configs.js';
import { LLAMA_BENCH_BATCH, LLAMA_BENCH_CONFIG } from '../dist/llama-configs.js';
import { measureTrainStep } from '../dist/train-step.js';

const which = process.argv[2] ?? 'gpt2';
const steps = Number(process.argv[3] ?? 3);
const outDir = process.argv[4] ?? '/tmp/ort-profile';
mkdirSync(outDir, { recursive: true });
const prefix = join(outDir, `${which}-${Date.now()}`);
const hostOptimizer = process.env.HOST_OPTIMIZER !== '0';
const spinning = process.env.SPINNING === '1';
// PROFILE=0 times the step without onnxruntime's profiler (which adds its own overhead).
const profiling = process.env.PROFILE !== '0';
const backend = createOnnxRuntimeBackend({
  threads: 2,
  hostOptimizer,
  spinning,
  ...(profiling ? { profileFilePrefix: prefix } : {}),
  // ARENA_MAX=N sets arenaMaxElements (graphs writing more elements allocate without onnxruntime's arena).
  ...(process.env.ARENA_MAX ? { arenaMaxElements: Number(process.env.ARENA_MAX) } : {}),
  // PATTERN_MAX=N sets memoryPatternMaxElements (graphs writing more elements run without the memory pattern).
  ...(process.env.PATTERN_MAX ? { memoryPatternMaxElements: Number(process.env.PATTERN_MAX) } : {}),
});
const gpt2 = which === 'gpt2';
const config = gpt2 ? GPT2_BENCH_CONFIG : LLAMA_BENCH_CONFIG;
const { batchSize, seqLen } = gpt2 ? GPT2_BENCH_BATCH : LLAMA_BENCH_BATCH;
const model = gpt2
  ? new GPT2LMHeadModel(backend, config, new Random(0))
  : new LlamaForCausalLM(backend, config, new Random(0));
const cpuBefore = process.cpuUsage();
const m = await measureTrainStep(backend, model, {
  vocab: config.vocab_size,
  batchSize,
  seqLen,
  warmup: 1,
  repeats: steps,
});
const cpu = process.cpuUsage(cpuBefore);
const stats = backend.stats();
await backend.release();
// CPU seconds of the whole process (all threads) per step, warm-up included: steadier than wall time on a
// loaded machine.
const cpuSPerStep = (cpu.user + cpu.system) / 1e6 / (steps + 1);
console.log(
  JSON.stringify({
    hostOptimizer,
    samplesMs: m.timing.samplesMs,
    cpuSPerStep,
    peakRssMB: Math.round(m.peakRssMB),
    stats,
  }),
);
const files = readdirSync(outDir).filter((f) => join(outDir, f).startsWith(prefix));
const byOp = new Map();
const byNode = new Map();
let total = 0;
for (const f of files) {
  const events = JSON.parse(readFileSync(join(outDir, f), 'utf8'));
  for (const e of events) {
    if (e.cat === 'Session' && e.name === 'model_run') console.log(`model_run ${(e.dur / 1000).toFixed(0)} ms (${f})`);
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    const op = e.args?.op_name ?? '?';
    byOp.set(op, (byOp.get(op) ?? 0) + e.dur);
    const key = `${op} ${e.name.replace('_kernel_time', '')} out=${JSON.stringify(e.args?.output_size ?? '')}`;
    byNode.set(key, (byNode.get(key) ?? 0) + e.dur);
    total += e.dur;
  }
}
const runs = steps + 1;
console.log(`kernel time per step ${(total / runs / 1000).toFixed(0)} ms over ${runs} runs`);
for (const [op, us] of [...byOp].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  console.log(`${op.padEnd(36)} ${(us / runs / 1000).toFixed(1).padStart(8)} ms/step`);
}
console.log('--- top nodes');
for (const [k, us] of [...byNode].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
  console.log(`${(us / runs / 1000).toFixed(1).padStart(8)} ms  ${k}`);
}
