import { Random, resolveBackend, type TensorBackend } from '@rlhf/core';
import '@rlhf/backend-js';
import '@rlhf/backend-webgpu';
import { DPOTrainer } from '@rlhf/dpo';
import {
  type CausalLM,
  countParameters,
  createRewardModel,
  generateText,
  loadModelFrom,
  modelFileBytes,
  type RewardScoringModel,
  readModelFiles,
} from '@rlhf/models';
import { RewardModel } from '@rlhf/reward';
import { type SFTRecord, SFTTrainer } from '@rlhf/sft';
import type { FromWorker, ModelFiles, PreferenceRecord, ToWorker, TrainSettings } from './studio-messages.js';

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
let rewardModel: RewardScoringModel | null = null;
let rewardTrainer: RewardModel | null = null;

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
  if (message.type === 'sft') return trainSft(message.records as SFTRecord[], message.settings);
  if (message.type === 'reward') return trainReward(message.records, message.settings);
  if (message.type === 'score') return score(message.id, message.texts);
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
  await finishTraining(tokens, started);
}

/** After training the policy: its files to the page (kept in IndexedDB) and the JS sampler refreshed. */
async function finishTraining(tokens: number, started: number): Promise<void> {
  const seconds = (performance.now() - started) / 1000;
  const files = Object.fromEntries(await modelFileBytes(policy));
  if (sampler !== policy) {
    sampler.dispose();
    sampler = await loadModelFrom(files, { backend: js });
  }
  post({ type: 'trained', files, tokensPerSecond: Math.round(tokens / seconds), seconds });
}

/** SFT of the policy on the pasted or uploaded records (checked and tokenised by the trainer first). */
async function trainSft(records: SFTRecord[], settings: TrainSettings): Promise<void> {
  const trainer = new SFTTrainer({
    so_vong: settings.epochs,
    kich_thuoc_batch: settings.batchSize,
    gradient_accumulation: 1,
    toc_do_hoc: settings.learningRate,
    warmup_ratio: 0,
    logging_steps: 1,
  });
  const started = performance.now();
  let step = 0;
  await trainer.huan_luyen(policy, records, null, null, (record) => {
    if (record.kind === 'train') post({ type: 'sft-progress', step: ++step, loss: record.loss });
  });
  await finishTraining(trainer.thong_ke().tokens_seen, started);
}

/** A reward model (a copy of the policy's backbone plus a scalar head) trained on the person's choices. */
async function trainReward(records: PreferenceRecord[], settings: TrainSettings): Promise<void> {
  rewardModel?.dispose();
  rewardModel = createRewardModel(policy, new Random(42));
  rewardTrainer = new RewardModel({
    so_vong: settings.epochs,
    kich_thuoc_batch: settings.batchSize,
    gradient_accumulation: 1,
    toc_do_hoc: settings.learningRate,
    warmup_ratio: 0,
    logging_steps: 1,
  });
  const started = performance.now();
  await rewardTrainer.huan_luyen(rewardModel, records);
  const metrics = await rewardTrainer.danh_gia(rewardModel, records);
  post({
    type: 'reward-trained',
    accuracy: metrics.accuracy,
    margin: metrics.reward_margin,
    seconds: (performance.now() - started) / 1000,
  });
}

async function score(id: number, texts: string[]): Promise<void> {
  if (!rewardModel || !rewardTrainer) return post({ type: 'scores', id, scores: [] });
  const scored = await rewardTrainer.diem_danh_gia(rewardModel, texts);
  post({ type: 'scores', id, scores: scored.map((s) => s.score) });
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
