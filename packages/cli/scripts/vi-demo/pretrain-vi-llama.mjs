#!/usr/bin/env node
// Pretrains the Vietnamese demo model (data/models/vi-llama-3m) from scratch on the Vietnamese text the
// repository bundles: trains a byte-fallback BPE vocabulary, initialises a small Llama and trains it as a
// causal LM with SFTTrainer (plain { text } records, packed) on the onnxruntime backend. Deterministic
// data, tokenizer and initialisation; the step count comes from --minutes and a short timing run, so the
// weights depend on the machine's speed (the count used is written to training.json).
//
// From the repository root, after `pnpm build`:
//   nice -n 10 node packages/cli/scripts/vi-demo/pretrain-vi-llama.mjs [--minutes 20] [--steps N]
//     [--out data/models/vi-llama-3m] [--vocab 3072] [--seed 7] [--backend onnxruntime|js]
// --steps fixes the optimizer steps (no timing run). Prints the held-out loss and sample generations and
// writes them, with the hyperparameters, to <out>/training.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { Random } from '@rlhf/core';
import { createCausalLM, generateText, Tokenizer } from '@rlhf/models';
import { saveModel } from '@rlhf/models/node';
import { SFTTrainer } from '@rlhf/sft';
import { bpeTokenizerFiles, trainBpe } from '../../dist/vi-demo/train-bpe.js';
import { HELD_OUT_PARAGRAPH, viCorpus, xquadParagraphs } from '../../dist/vi-demo/vi-corpus.js';

const args = new Map();
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a.startsWith('--')) args.set(a.slice(2), process.argv[i + 1]?.startsWith('--') ? 'true' : process.argv[++i]);
}
const num = (k, d) => (args.has(k) ? Number(args.get(k)) : d);
const out = args.get('out') ?? 'data/models/vi-llama-3m';
const minutes = num('minutes', 20);
const seed = num('seed', 7);
const backendName = args.get('backend') ?? 'onnxruntime';
const started = Date.now();
const log = (line) => console.error(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${line}`);

// 1. The text.
const read = (p) => readFileSync(p, 'utf8');
const ud = {
  train: read('data/corpora/ud-vietnamese-vtb/vi_vtb_train.txt'),
  dev: read('data/corpora/ud-vietnamese-vtb/vi_vtb_dev.txt'),
  test: read('data/corpora/ud-vietnamese-vtb/vi_vtb_test.txt'),
};
const paragraphs = xquadParagraphs(JSON.parse(read('data/datasets/xquad-vi/xquad.vi.json')));
const corpus = viCorpus(ud, paragraphs);
const chars = (list) => list.reduce((n, s) => n + s.length, 0);
log(
  `corpus: ${corpus.train.length} training sentences (${chars(corpus.train)} characters), ${corpus.val.length} held out (${chars(corpus.val)})`,
);

// 2. The vocabulary.
const vocabSize = num('vocab', 3072);
const maxPositions = 128;
const bpe = trainBpe(corpus.train, { vocabSize, minCharCount: 2, requiredChars: ['\n'] });
const { tokenizerJson, tokenizerConfig } = bpeTokenizerFiles(bpe, maxPositions);
const tokenizer = Tokenizer.fromJSON(tokenizerJson, tokenizerConfig);
const tokensOf = (list) => list.reduce((n, s) => n + tokenizer.encode(s, { addSpecialTokens: false }).length, 0);
const trainTokens = tokensOf(corpus.train);
const valTokens = tokensOf(corpus.val);
const lossless = corpus.val.filter(
  (s) => tokenizer.decode(tokenizer.encode(s), { skipSpecialTokens: true }) === s,
).length;
log(
  `vocabulary: ${bpe.pieces.length} tokens; ${trainTokens} training tokens (${(chars(corpus.train) / trainTokens).toFixed(2)} characters a token), ${valTokens} held out; round trip lossless on ${lossless}/${corpus.val.length} held-out sentences`,
);

// 3. The model.
const config = {
  architectures: ['LlamaForCausalLM'],
  model_type: 'llama',
  vocab_size: bpe.pieces.length,
  hidden_size: num('hidden', 192),
  intermediate_size: num('intermediate', 512),
  num_hidden_layers: num('layers', 4),
  num_attention_heads: 4,
  num_key_value_heads: 4,
  max_position_embeddings: maxPositions,
  rms_norm_eps: 1e-5,
  rope_theta: 10000,
  tie_word_embeddings: true,
  hidden_act: 'silu',
  bos_token_id: 1,
  eos_token_id: 2,
  torch_dtype: 'float32',
};
let backend;
if (backendName === 'onnxruntime') {
  const { createOnnxRuntimeBackend } = await import('@rlhf/backend-onnxruntime');
  backend = await createOnnxRuntimeBackend();
} else {
  const { createJsBackend } = await import('@rlhf/backend-js');
  backend = createJsBackend();
}
const newModel = () => {
  const m = createCausalLM(backend, config, new Random(seed));
  m.tokenizer = tokenizer;
  m.generationConfig = { bos_token_id: 1, eos_token_id: 2 };
  return m;
};
const model = newModel();
const parameters = model.parameters().reduce((n, p) => n + p.size, 0);
log(`model: ${JSON.stringify({ ...config, architectures: undefined })}, ${parameters} parameters`);

// 4. Pretraining: every sentence a { text } record (BOS … EOS), packed into 128-token sequences.
const train = corpus.train.map((text) => ({ text }));
const val = corpus.val.map((text) => ({ text }));
const trainerConfig = {
  kich_thuoc_batch: num('batch', 16),
  gradient_accumulation: 1,
  toc_do_hoc: num('lr', 3e-3),
  lr_scheduler_type: 'cosine',
  warmup_ratio: 0.03,
  weight_decay: 0.1,
  gradient_clip: 1,
  max_seq_length: maxPositions,
  packing: true,
  logging_steps: 25,
  so_vong: 1000,
  seed,
};
let steps = num('steps', 0);
if (steps <= 0) {
  // Timing: 2 warm-up steps and 6 measured ones on a throwaway copy; the budget's steps leave room for
  // the per-epoch validation.
  const probe = newModel();
  let t0 = 0;
  await new SFTTrainer({ ...trainerConfig, max_steps: 8, logging_steps: 1 }).huan_luyen(
    probe,
    train,
    null,
    null,
    (r) => {
      if (r.step === 2) t0 = Date.now();
    },
  );
  const perStep = (Date.now() - t0) / 6 / 1000;
  steps = Math.max(50, Math.floor((minutes * 60 * 0.88) / perStep));
  log(`timing: ${perStep.toFixed(2)} s a step → ${steps} steps for ${minutes} minutes`);
}
const trainer = new SFTTrainer({ ...trainerConfig, max_steps: steps });
const trainStarted = Date.now();
// Early stopping: the run stops after the first epoch whose held-out loss is above the best one by 0.02.
let best = Number.POSITIVE_INFINITY;
const result = await trainer.huan_luyen(model, train, val, null, (r) => {
  if (r.kind === 'train') {
    log(
      `step ${r.step}/${steps}: loss ${r.loss.toFixed(3)} lr ${r.learning_rate.toExponential(2)} ${Math.round(r.tokens_per_second)} tokens/s`,
    );
    return true;
  }
  log(
    `step ${r.step} (epoch ${r.epoch.toFixed(1)}): held-out loss ${r.val_loss.toFixed(3)} (perplexity ${Math.exp(r.val_loss).toFixed(1)})`,
  );
  if (r.val_loss > best + 0.02) {
    log('held-out loss rose: stopping');
    return false;
  }
  best = Math.min(best, r.val_loss);
  return true;
});
const trainSeconds = (Date.now() - trainStarted) / 1000;
const stats = trainer.thong_ke();
const h = result.history;
const valLoss = h.val_loss.at(-1);
log(
  `trained ${result.global_step} steps (${result.so_epoch} epochs) in ${trainSeconds.toFixed(0)} s; held-out loss ${valLoss?.toFixed(3)} (perplexity ${Math.exp(valLoss).toFixed(1)})`,
);

// 5. Samples (greedy and sampled) from held-out-style prompts.
const prompts = ['Hà Nội là', 'Người dân ở đây', 'Trong những năm gần đây,', 'Hỏi: Ai là người đầu tiên?\nĐáp:'];
const greedy = await generateText(model, prompts, { maxNewTokens: 32, temperature: 0 });
const sampled = await generateText(model, prompts, { maxNewTokens: 32, temperature: 0.8, topK: 40, seed: 1 });
const samples = prompts.map((prompt, i) => ({ prompt, greedy: greedy[i].text, sampled: sampled[i].text }));
for (const s of samples)
  log(`${JSON.stringify(s.prompt)} → greedy ${JSON.stringify(s.greedy)} | sampled ${JSON.stringify(s.sampled)}`);

await saveModel(model, out);
writeFileSync(
  `${out}/training.json`,
  `${JSON.stringify(
    {
      command: `node packages/cli/scripts/vi-demo/pretrain-vi-llama.mjs ${process.argv.slice(2).join(' ')}`.trim(),
      backend: backendName,
      data: {
        train_sentences: corpus.train.length,
        val_sentences: corpus.val.length,
        train_tokens: trainTokens,
        val_tokens: valTokens,
        held_out: 'UD-VTB test split; XQuAD-vi paragraphs whose index % 10 === 9',
        held_out_paragraphs: paragraphs.filter((p) => HELD_OUT_PARAGRAPH(p.index)).length,
      },
      tokenizer: { vocab_size: bpe.pieces.length, lossless_val_round_trips: `${lossless}/${corpus.val.length}` },
      parameters,
      trainer: { ...trainerConfig, max_steps: steps },
      steps: result.global_step,
      epochs: result.so_epoch,
      train_seconds: Math.round(trainSeconds),
      tokens_per_second: Math.round(stats.tokens_per_second ?? 0),
      val_loss: h.val_loss,
      val_step: h.val_step,
      train_loss: h.train_loss.filter((_, i) => i % 4 === 0 || i === h.train_loss.length - 1),
      final_val_loss: valLoss,
      final_val_perplexity: Math.exp(valLoss),
      samples,
    },
    null,
    2,
  )}\n`,
);
log(`wrote ${out}`);
