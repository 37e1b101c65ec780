// Would a worker thread for onnxruntime pay? Runs the Llama 3.43M training step (the llama-train-step
// benchmark's step) in a worker thread while the main thread is idle, and while the main thread does BUSY ms
// of JavaScript during each step's onnxruntime run (what recording step n + 1 there would overlap); and times a message round
// trip between the threads. Decision `onnxruntime-sessions-on-main-thread`.
// Usage: node benchmarks/scripts/worker-overlap.mjs [busyMs=10] [steps=10] [rounds=3]
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

const busyMs = Number(process.argv[2] ?? 10);
const steps = Number(process.argv[3] ?? 10);
const rounds = Number(process.argv[4] ?? 3);

/** The benchmark's step (forward, cross-entropy, backward, clipping, AdamW), ready to run again and again. */
async function llamaStep() {
  const { createOnnxRuntimeBackend } = await import('@rlhf/backend-onnxruntime');
  const core = await import('@rlhf/core');
  const { LlamaForCausalLM } = await import('@rlhf/models');
  const { LLAMA_BENCH_BATCH, LLAMA_BENCH_CONFIG } = await import('../dist/llama-configs.js');
  const backend = createOnnxRuntimeBackend({ threads: 2 });
  const model = new LlamaForCausalLM(backend, LLAMA_BENCH_CONFIG, new core.Random(0));
  const { batchSize, seqLen } = LLAMA_BENCH_BATCH;
  const rng = new core.Random(1);
  const ids = () =>
    core.tensor(
      backend,
      Int32Array.from({ length: batchSize * seqLen }, () => rng.int(LLAMA_BENCH_CONFIG.vocab_size)),
      [batchSize, seqLen],
      'int32',
    );
  const [x, y] = [ids(), ids()];
  const params = model.parameters();
  const opt = new core.AdamW(core.decayGroups(model, 0.01), { lr: 3e-4 });
  return async () => {
    const loss = core.tidy(() => {
      const l = core.crossEntropy(model.forward(x).logits, y);
      l.backward();
      return l;
    });
    core.clipGradNorm(params, 1).dispose();
    opt.step();
    opt.zeroGrad();
    const value = await loss.item();
    loss.dispose();
    return value;
  };
}

function busy(ms) {
  const until = performance.now() + ms;
  let x = 0;
  while (performance.now() < until) x += Math.sqrt(x + 1);
  return x;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

if (!isMainThread) {
  const step = await llamaStep();
  parentPort.on('message', async (m) => {
    if (m === 'ping') return parentPort.postMessage('pong');
    const started = performance.now();
    await step();
    parentPort.postMessage(performance.now() - started);
  });
  parentPort.postMessage('ready');
} else {
  const worker = new Worker(new URL(import.meta.url), { argv: process.argv.slice(2) });
  const reply = (message) =>
    new Promise((resolve) => {
      worker.once('message', resolve);
      if (message !== undefined) worker.postMessage(message);
    });
  await reply();
  const mainStep = await llamaStep();
  for (let i = 0; i < 3; i++) {
    await reply('step');
    await mainStep();
  }
  const results = { mainThread: [], workerIdle: [], workerBusy: [] };
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < steps; i++) {
      const started = performance.now();
      await mainStep();
      results.mainThread.push(performance.now() - started);
    }
    for (let i = 0; i < steps; i++) results.workerIdle.push(await reply('step'));
    for (let i = 0; i < steps; i++) {
      const done = reply('step');
      // Past the worker's own recording (~10 ms), into onnxruntime's run, before the main thread works.
      await new Promise((resolve) => setTimeout(resolve, 30));
      busy(busyMs);
      results.workerBusy.push(await done);
    }
  }
  const trips = [];
  for (let i = 0; i < 300; i++) {
    const started = performance.now();
    await reply('ping');
    trips.push(performance.now() - started);
  }
  await worker.terminate();
  console.log(
    JSON.stringify({
      busyMs,
      stepMsMedian: {
        mainThread: median(results.mainThread),
        workerIdleMain: median(results.workerIdle),
        workerWithBusyMain: median(results.workerBusy),
      },
      roundTripUsMedian: median(trips) * 1000,
    }),
  );
  process.exit(0);
}
