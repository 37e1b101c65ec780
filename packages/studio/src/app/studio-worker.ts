import { resolveBackend, type TensorBackend } from '@rlhf/core';
import '@rlhf/backend-js';
import '@rlhf/backend-webgpu';
import { DPOTrainer } from '@rlhf/dpo';
import {
  type CausalLM,
  countParameters,
  generateText,
  loadModelFrom,
  modelFileBytes,
  readModelFiles,
} from '@rlhf/models';
import type { FromWorker, ModelFiles, ToWorker } from './studio-messages.js';

// The studio's worker: it holds the policy and the frozen reference on the training backend (WebGPU when
// the browser offers it, else JS) and a JS copy of the policy for sampling (a tiny model samples fastest
// on the CPU, one token at a time), so the page never blocks.

const post = (message: FromWorker, transfer: Transferable[] = []) =>
  (globalThis as unknown as { postMessage(m: unknown, t: Transferable[]): void }).postMessage(message, transfer);

let backend: TensorBackend;
let js: TensorBackend;
let policy: CausalLM;
let reference: CausalLM;
let sampler: CausalLM;

async function chooseBackend(kind: 'auto' | 'js'): Promise<TensorBackend> {
  if (kind === 'auto') {
    try {
      return await resolveBackend('webgpu');
    } catch {
      // no navigator.gpu, or no usable adapter: the JS backend
    }
  }
  return resolveBackend('js');
}

async function load(base: ModelFiles, current: ModelFiles, kind: 'auto' | 'js'): Promise<void> {
  js = await resolveBackend('js');
  const content = await readModelFiles(current); // checked before anything is allocated
  backend = await chooseBackend(kind);
  for (const m of [policy, reference, sampler]) m?.dispose();
  policy = await loadModelFrom(current, { backend });
  reference = await loadModelFrom(base, { backend });
  sampler = backend === js ? policy : await loadModelFrom(current, { backend: js });
  post({ type: 'loaded', backend: backend.name, parameters: countParameters(content.tensors) });
}

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'load') return load(message.base, message.current, message.backend);
  if (message.type === 'sample') {
    const texts: string[] = [];
    for (const seed of message.seeds) {
      const [c] = await generateText(sampler, [message.prompt], {
        maxNewTokens: message.maxNewTokens,
        temperature: message.temperature,
        seed,
      });
      texts.push(c?.text ?? '');
    }
    return post({ type: 'samples', id: message.id, texts });
  }
  const { records, settings } = message;
  const trainer = new DPOTrainer({
    so_vong: settings.epochs,
    kich_thuoc_batch: settings.batchSize,
    gradient_accumulation: 1,
    precompute_ref_log_probs: true, // the frozen reference scored once per training, not every step
    toc_do_hoc: settings.learningRate,
    beta: settings.beta,
    logging_steps: 1,
  });
  const encode = (text: string) => policy.tokenizer?.encode(text).length ?? 0;
  const tokens =
    settings.epochs * records.reduce((n, r) => n + encode(r.prompt + r.chosen) + encode(r.prompt + r.rejected), 0);
  const started = performance.now();
  let step = 0;
  await trainer.huan_luyen(policy, reference, records, null, (record) => {
    if (record.kind !== 'train') return;
    step += 1;
    post({
      type: 'progress',
      point: {
        step,
        loss: record.loss,
        margin: Number(record.metrics.reward_margin ?? 0),
        accuracy: Number(record.metrics.reward_accuracy ?? 0),
      },
    });
  });
  const seconds = (performance.now() - started) / 1000;
  const files = Object.fromEntries(await modelFileBytes(policy));
  if (sampler !== policy) {
    sampler.dispose();
    sampler = await loadModelFrom(files, { backend: js });
  }
  post({ type: 'trained', files, tokensPerSecond: Math.round(tokens / seconds), seconds });
}

let queue = Promise.resolve();
globalThis.addEventListener('message', (event) => {
  const message = (event as MessageEvent<ToWorker>).data;
  queue = queue.then(() =>
    handle(message).catch((error: unknown) =>
      post({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
    ),
  );
});
